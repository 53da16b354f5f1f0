// Raw-frame tools run inside a namespace (`ip netns exec NS node --import tsx l2-prober.ts ...`):
//   probe IFACE SRC_IP COUNT TARGET...   ARP (or, for IPv6 addresses, NS/NA) round trips, alternating
//                                        targets, timed in-process; prints JSON
//   watch IFACE TARGET_IP TIMEOUT_MS     prints the time (epoch ms) the first gratuitous ARP for TARGET arrives
//   inject IFACE HEX...                  sends each hex string as one raw Ethernet frame
// Both wait in a blocking recv() with a receive timeout, so every wait is bounded and the reader is
// woken by the kernel as the frame lands (no event-loop hop inside the measurement).
import { readFileSync } from 'node:fs';
import { libc } from '../../src/sys/packet-libc.js';
import { openPacketSocket } from '../../src/sys/packet-socket.js';
import { ArpOperation, decodeARPFrame, encodeARPFrame } from '../../src/wire/arp.js';
import { BROADCAST_MAC, parseMAC } from '../../src/wire/ethernet.js';
import { decodeNDPFrame, neighborSolicitation } from '../../src/wire/ndp.js';
import { parseIP, toBytes } from '../../src/model/ip.js';

const MSG_DONTWAIT = 0x40;
const c = libc();

function ifaceInfo(name: string): { index: number; mac: Buffer } {
  const dir = `/sys/class/net/${name}`;
  return { index: Number(readFileSync(`${dir}/ifindex`, 'utf8')), mac: parseMAC(readFileSync(`${dir}/address`, 'utf8').trim()) };
}

function ipBytes(text: string): Buffer {
  return Buffer.from(text.split('.').map(Number));
}

/**
 * waitFrame blocks in recv() (the socket has a receive timeout) until `match` accepts a frame or the
 * deadline passes. A blocked reader is woken by the kernel the moment the frame lands, which under
 * load is more precise than spinning (a spinner gets preempted).
 */
function waitFrame(fd: number, deadlineNs: bigint, match: (f: Buffer) => boolean): bigint | undefined {
  const buf = Buffer.alloc(2048);
  // L2_PROBE_SPIN=1 polls without sleeping instead: the prober's own wake-up then drops out of every
  // measurement (the kernel's reply needs none), which isolates the responder's share (see the design notes).
  const flags = process.env.L2_PROBE_SPIN === '1' ? MSG_DONTWAIT : 0;
  while (process.hrtime.bigint() < deadlineNs) {
    const n = Number(c.recv(fd, buf, buf.length, flags));
    if (n <= 0) continue;
    const at = process.hrtime.bigint();
    if (match(buf.subarray(0, n))) return at;
  }
  return undefined;
}

function drain(fd: number): void {
  const buf = Buffer.alloc(2048);
  for (let i = 0; i < 64 && Number(c.recv(fd, buf, buf.length, MSG_DONTWAIT)) > 0; i++);
}

function ip6Bytes(text: string): Buffer {
  const ip = parseIP(text);
  if (!ip || ip.family !== 6) throw new Error(`prober: ${text} is not an IPv6 address`);
  return toBytes(ip);
}

function isAdvertisementFor(target: Buffer, to: Buffer) {
  return (f: Buffer) => {
    try {
      const n = decodeNDPFrame(f);
      return n.ndp.type === 136 && n.ndp.target.equals(target) && n.ethDst.equals(to);
    } catch {
      return false;
    }
  };
}

function isReplyFrom(target: Buffer, to: Buffer) {
  return (f: Buffer) => {
    try {
      const a = decodeARPFrame(f);
      return a.arp.operation === ArpOperation.Reply && a.arp.senderIP.equals(target) && a.ethDst.equals(to);
    } catch {
      return false;
    }
  };
}

/** probe alternates requests between the targets (so each sees the same machine load) and times each reply. */
function probe(name: string, src: string, count: number, targets: string[]): void {
  const { index, mac } = ifaceInfo(name);
  const v6 = targets.some((t) => t.includes(':'));
  const fd = openPacketSocket(c, index, v6 ? 'ndp' : 'arp', { blockingTimeoutMs: 50, allIPv6: true });
  // IPv4: broadcast ARP requests; IPv6: multicast neighbor solicitations with our link-layer address.
  const reqs = targets.map((t) => (v6
    ? neighborSolicitation(ip6Bytes(t), ip6Bytes(src), mac)
    : encodeARPFrame({
      ethDst: BROADCAST_MAC, ethSrc: mac,
      arp: { operation: ArpOperation.Request, senderMAC: mac, senderIP: ipBytes(src), targetMAC: Buffer.alloc(6), targetIP: ipBytes(t) },
    })));
  const matchers = targets.map((t) => (v6 ? isAdvertisementFor(ip6Bytes(t), mac) : isReplyFrom(ipBytes(t), mac)));
  const out = targets.map(() => ({ rtts: [] as number[], lost: 0 }));
  for (let i = 0; i < count; i++) {
    // The starting target rotates, so no target always follows the same one (a responder that just
    // woke for another target's broadcast would otherwise always be probed at the same moment).
    for (let j = 0; j < targets.length; j++) {
      const k = (i + j) % targets.length;
      const t0 = process.hrtime.bigint();
      c.send(fd, reqs[k]!, reqs[k]!.length, 0);
      const at = waitFrame(fd, t0 + 200_000_000n, matchers[k]!);
      if (at === undefined) out[k]!.lost++;
      else out[k]!.rtts.push(Number(at - t0) / 1e6);
      drain(fd); // a late reply must not be taken for the next probe's
    }
  }
  c.close(fd);
  process.stdout.write(JSON.stringify(Object.fromEntries(targets.map((t, k) => [t, out[k]]))) + '\n');
}

function watch(name: string, target: string, timeoutMs: number): void {
  const { index } = ifaceInfo(name);
  const fd = openPacketSocket(c, index, 'arp', { blockingTimeoutMs: 100 });
  const ip = ipBytes(target);
  process.stdout.write(JSON.stringify({ ready: true }) + '\n');
  const deadline = process.hrtime.bigint() + BigInt(timeoutMs) * 1_000_000n;
  const gratuitous = (f: Buffer) => {
    try {
      const a = decodeARPFrame(f);
      return a.arp.senderIP.equals(ip) && a.arp.targetIP.equals(ip);
    } catch {
      return false;
    }
  };
  const at = waitFrame(fd, deadline, gratuitous);
  // Convert the hrtime of arrival to epoch ms so the test can compare with the announcer's clock.
  const nowEpoch = performance.timeOrigin + performance.now();
  const arrived = at === undefined ? undefined : nowEpoch - Number(process.hrtime.bigint() - at) / 1e6;
  process.stdout.write(JSON.stringify(arrived === undefined ? { timeout: true } : { at: arrived }) + '\n');
  process.exit(arrived === undefined ? 1 : 0);
}

function inject(name: string, frames: string[]): void {
  const { index } = ifaceInfo(name);
  const fd = openPacketSocket(c, index, 'arp');
  let sent = 0;
  for (const h of frames) if (Number(c.send(fd, Buffer.from(h, 'hex'), h.length / 2, 0)) > 0) sent++;
  c.close(fd);
  process.stdout.write(JSON.stringify({ sent }) + '\n');
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'probe') probe(args[0]!, args[1]!, Number(args[2] ?? 1000), args.slice(3));
else if (cmd === 'watch') watch(args[0]!, args[1]!, Number(args[2] ?? 5000));
else if (cmd === 'inject') inject(args[0]!, args.slice(1));
else {
  process.stderr.write('usage: l2-prober.ts probe|watch|inject ...\n');
  process.exit(2);
}
