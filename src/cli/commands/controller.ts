// `lbctl controller`: allocate addresses to LoadBalancer Services and write their status, until
// SIGTERM/SIGINT. Thin: flags -> runController; signals -> stop.
import { Command, Flags } from '@oclif/core';
import { runController } from '../../controller/run.js';

/** ControllerResult is returned when the controller has stopped. */
export interface ControllerResult {
  stopped: true;
  signal: string;
}

/** Controller runs the controller daemon. */
export default class Controller extends Command {
  static override summary = 'Run the controller: allocate IPs to LoadBalancer Services and write their status.';

  static override description = [
    'Sources: dir:PATH (a folder of YAML manifests is the cluster; status, events and records go to PATH/.lbctl/)',
    'or k8s (the Kubernetes API via --kubeconfig, KUBECONFIG, ~/.kube/config or in-cluster).',
    'Serves /metrics, /healthz and /readyz on --metrics-listen. Stops cleanly on SIGTERM or SIGINT.',
  ].join('\n');

  static override examples = [
    '<%= config.bin %> controller --source dir:./cluster',
    '<%= config.bin %> controller --source k8s --kubeconfig ~/.kube/config --lb-class example.com/lb',
  ];

  static override flags = {
    source: Flags.string({ description: 'where the cluster state lives: dir:PATH or k8s', required: true }),
    kubeconfig: Flags.string({ description: 'kubeconfig file (with --source k8s)' }),
    namespace: Flags.string({ char: 'n', description: 'namespace of the config objects, leases and records (default metallb-system)' }),
    'config-name': Flags.string({ description: 'name of the legacy ConfigMap', default: 'config' }),
    'lb-class': Flags.string({ description: 'handle only Services with this spec.loadBalancerClass (default: only Services without one)' }),
    'metrics-listen': Flags.string({ description: 'host:port for /metrics, /healthz, /readyz; empty disables', default: '0.0.0.0:7472' }),
    'no-fsync': Flags.boolean({ description: 'directory source: do not fsync status writes (faster; not crash-safe)', default: false }),
  };

  async run(): Promise<ControllerResult> {
    const { flags } = await this.parse(Controller);
    const running = await runController({
      source: flags.source, kubeconfig: flags.kubeconfig, namespace: flags.namespace, configMapName: flags['config-name'],
      lbClass: flags['lb-class'], metricsListen: flags['metrics-listen'], durable: !flags['no-fsync'],
    });
    const signal = await untilSignal();
    await withDeadline(running.stop(), 5000);
    exitSoon();
    return { stopped: true, signal };
  }
}

/** exitSoon ends the process shortly after a daemon stopped, even if a stuck socket keeps it alive. */
export function exitSoon(): void {
  setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
}

/** untilSignal resolves with the first SIGTERM or SIGINT. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => { process.off('SIGTERM', term); process.off('SIGINT', int); resolve(sig); };
    const term = on('SIGTERM');
    const int = on('SIGINT');
    process.once('SIGTERM', term);
    process.once('SIGINT', int);
  });
}

/** withDeadline waits for p, but no longer than ms (a stuck peer must not block shutdown). */
export async function withDeadline(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise((r) => { timer = setTimeout(r, ms); timer.unref(); })]);
  clearTimeout(timer);
}
