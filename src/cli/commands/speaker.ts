// `lbctl speaker`: announce this node's share of the Service IPs over layer 2 and/or BGP, until
// SIGTERM/SIGINT (which withdraws at once and releases the lease, for a near-instant handover).
import { Command, Flags } from '@oclif/core';
import { runSpeaker } from '../../speaker/run.js';
import { KERNEL_RESPONDER_MODES, KernelResponderError, type KernelResponderMode } from '../../speaker/wiring.js';
import { DEFAULT_LEASE, defaultFenceMargin, validateLeaseTiming } from '../../speaker/liveness.js';
import { STORE_LOSS_MODES, type StoreLossMode } from '../../speaker/lease-table.js';
import { exitSoon, untilSignal, withDeadline } from './controller.js';

/** SpeakerResult is returned when the speaker has stopped. */
export interface SpeakerResult {
  stopped: true;
  signal: string;
}

/** Speaker runs the speaker daemon for one node. */
export default class Speaker extends Command {
  static override summary = 'Run the speaker on one node: announce Service IPs over layer 2 (ARP/NDP) and BGP.';

  static override description = [
    `Liveness: the speaker renews a lease every --lease-renew ms (default ${DEFAULT_LEASE.renewMs}); others consider it dead`,
    `--lease-duration ms after its last renewal (default ${DEFAULT_LEASE.durationMs}). API writes per node: 1000/renew per second.`,
    'When this speaker cannot renew its lease (API server down or unreachable), --on-store-loss keep (default) freezes its view and',
    'keeps announcing what it announces; fence stops announcing before the others may consider it dead. See docs/daemons.md.',
    'Layer 2 needs CAP_NET_RAW (raw AF_PACKET sockets); with CAP_BPF and CAP_NET_ADMIN the common ARP/NDP requests are',
    'answered inside the kernel (--l2-kernel-responder). Stops cleanly on SIGTERM or SIGINT.',
  ].join('\n');

  static override examples = [
    '<%= config.bin %> speaker --source dir:./cluster --node node-a',
    '<%= config.bin %> speaker --source k8s --node "$NODE_NAME" --bgp-mode frr --no-layer2',
  ];

  static override flags = {
    source: Flags.string({ description: 'where the cluster state lives: dir:PATH or k8s', required: true }),
    node: Flags.string({ description: 'this node\'s name (default: $NODE_NAME, then $METALLB_NODE_NAME)', env: 'NODE_NAME' }),
    kubeconfig: Flags.string({ description: 'kubeconfig file (with --source k8s)' }),
    namespace: Flags.string({ char: 'n', description: 'namespace of the config objects, leases and records (default metallb-system)' }),
    'config-name': Flags.string({ description: 'name of the legacy ConfigMap', default: 'config' }),
    'lb-class': Flags.string({ description: 'announce only Services with this spec.loadBalancerClass' }),
    'metrics-listen': Flags.string({ description: 'host:port for /metrics, /healthz, /readyz; empty disables', default: '0.0.0.0:7472' }),
    'lease-renew': Flags.integer({ description: 'lease renew interval in ms', default: DEFAULT_LEASE.renewMs, min: 1 }),
    'lease-duration': Flags.integer({ description: 'lease duration in ms (at least twice the renew interval)', default: DEFAULT_LEASE.durationMs, min: 2 }),
    'on-store-loss': Flags.string({ description: 'while this speaker cannot renew its lease: keep announcing with a frozen view (keep), or stop announcing (fence)', options: [...STORE_LOSS_MODES], default: DEFAULT_LEASE.onStoreLoss }),
    layer2: Flags.boolean({ description: 'announce over ARP/NDP', default: true, allowNo: true }),
    bgp: Flags.boolean({ description: 'announce over BGP', default: true, allowNo: true }),
    'bgp-mode': Flags.string({ description: 'BGP implementation', options: ['native', 'frr'], default: 'native' }),
    'frr-config': Flags.string({ description: 'frr.conf path that frr-reload.py applies (with --bgp-mode frr)' }),
    'frr-vty-socket': Flags.string({ description: 'FRR vty socket directory (with --bgp-mode frr)' }),
    'l2-reader': Flags.string({ description: 'how ARP/NDP frames reach the responder: stream (libuv), poll (poller thread), worker (answered on a thread, fastest measured)', options: ['stream', 'poll', 'worker'], default: 'stream' }),
    'l2-kernel-responder': Flags.string({ description: 'answer ARP/NDP inside the kernel (tcx, needs CAP_BPF and CAP_NET_ADMIN): auto falls back to user space, on requires it, off never', options: [...KERNEL_RESPONDER_MODES], default: 'auto' }),
    placement: Flags.string({ description: 'layer 2 owner placement: MetalLB-compatible hash, or balanced', options: ['hash', 'balanced'], default: 'hash' }),
    'ignore-exclude-lb': Flags.boolean({ description: 'ignore node.kubernetes.io/exclude-from-external-load-balancers', default: false }),
    'exclude-interfaces': Flags.string({ description: 'regular expression of interface names never to announce on' }),
    'no-fsync': Flags.boolean({ description: 'directory source: do not fsync record writes', default: false }),
  };

  async run(): Promise<SpeakerResult> {
    const { flags } = await this.parse(Speaker);
    const node = flags.node ?? process.env.METALLB_NODE_NAME;
    if (!node) this.error('speaker: --node is required (or set NODE_NAME)', { exit: 2, code: 'speaker.no-node' });
    const renew = flags['lease-renew'];
    const onStoreLoss = flags['on-store-loss'] as StoreLossMode;
    const badTiming = validateLeaseTiming(renew, flags['lease-duration'], defaultFenceMargin(renew), onStoreLoss);
    if (badTiming) this.error(`speaker: ${badTiming}`, { exit: 2, code: 'speaker.lease-timing', suggestions: [`try --lease-duration ${Math.max(4 * renew, 2000)}`] });
    const running = await runSpeaker({
      source: flags.source, node, kubeconfig: flags.kubeconfig, namespace: flags.namespace, configMapName: flags['config-name'],
      lbClass: flags['lb-class'], metricsListen: flags['metrics-listen'], leaseRenewMs: flags['lease-renew'], leaseDurationMs: flags['lease-duration'], onStoreLoss,
      layer2: flags.layer2, bgp: flags.bgp, bgpMode: flags['bgp-mode'] as 'native' | 'frr', placement: flags.placement as 'hash' | 'balanced',
      frr: { ...(flags['frr-config'] ? { configPath: flags['frr-config'] } : {}), ...(flags['frr-vty-socket'] ? { vtyshSocketDir: flags['frr-vty-socket'] } : {}) },
      ignoreExcludeLB: flags['ignore-exclude-lb'], excludeInterfaces: flags['exclude-interfaces'] ? new RegExp(flags['exclude-interfaces']) : undefined,
      durable: !flags['no-fsync'], l2Reader: flags['l2-reader'] as 'stream' | 'poll' | 'worker',
      kernelResponder: flags['l2-kernel-responder'] as KernelResponderMode,
    }).catch((e: unknown) => {
      if (e instanceof KernelResponderError) this.error(`speaker: ${e.message}`, { exit: 1, code: e.code });
      throw e;
    });
    const signal = await untilSignal();
    await withDeadline(running.stop(), 5000);
    exitSoon();
    return { stopped: true, signal };
  }
}
