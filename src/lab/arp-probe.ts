// arp-probe: the client side of the lab and of the failover measurements. Inside the client
// namespace it asks "who has VIP?" every `intervalMs` on one interface and prints, as JSON lines,
// every ARP reply and gratuitous ARP for the VIP with the sender's MAC, a timestamp (ms, wall
// clock) and the number of the last request sent, so a reader can tell who answered which round
// and spot two answering owners. Bounded: stops after `durationMs` or when stdin closes.
// Usage: node dist/lab/arp-probe.js IFACE VIP INTERVAL_MS DURATION_MS
import fs from 'node:fs';
import { packetIO } from '../sys/packet-socket.js';
import { scanInterfaces } from '../sys/interfaces.js';
import { ArpOperation, decodeARPFrame, encodeARPFrame } from '../wire/arp.js';
import { BROADCAST_MAC } from '../wire/ethernet.js';
import { formatMAC, ipBytes, probeRecord, type ProbeRecord } from './probe-format.js';

function main(): void {
  const [ifname, vip, intervalArg, durationArg] = process.argv.slice(2);
  if (!ifname || !vip) throw new Error('usage: arp-probe IFACE VIP [INTERVAL_MS] [DURATION_MS]');
  const intervalMs = Number(intervalArg ?? 10);
  const durationMs = Number(durationArg ?? 10_000);
  const iface = scanInterfaces().find((i) => i.name === ifname);
  if (!iface) throw new Error(`arp-probe: interface ${ifname} not found`);
  const target = ipBytes(vip);
  const ownIP = ipBytes(process.env.PROBE_SOURCE_IP ?? '0.0.0.0');
  const io = packetIO();
  let seq = 0;
  const emit = (r: ProbeRecord) => process.stdout.write(JSON.stringify(r) + '\n');
  const conn = io.open({ name: iface.name, index: iface.index }, 'arp', (frame) => {
    let f;
    try { f = decodeARPFrame(frame); } catch { return; }
    if (!f.arp.senderIP.equals(target) || f.ethSrc.equals(iface.mac)) return;
    const r = probeRecord(f, seq, Date.now());
    if (r) emit(r);
  });
  const request = encodeARPFrame({
    ethDst: BROADCAST_MAC, ethSrc: iface.mac,
    arp: { operation: ArpOperation.Request, senderMAC: iface.mac, senderIP: ownIP, targetMAC: Buffer.alloc(6), targetIP: target },
  });
  const tick = setInterval(() => {
    seq++;
    try { conn.send(request); } catch (err) { process.stderr.write(`arp-probe: send failed: ${(err as Error).message}\n`); }
  }, intervalMs);
  const stop = () => { clearInterval(tick); conn.close(); io.stop(); process.exit(0); };
  setTimeout(stop, durationMs).unref();
  process.stdin.on('end', stop).on('error', stop).resume();
  process.on('SIGTERM', stop);
  emit({ kind: 'ready', t: Date.now(), seq: 0, mac: formatMAC(iface.mac) });
}

try {
  main();
} catch (err) {
  fs.writeSync(2, `${(err as Error).message}\n`);
  process.exit(1);
}
