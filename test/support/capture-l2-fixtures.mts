// Regenerates fixtures/packets/l2-frames.json: real frames captured with tcpdump on the client of a
// test LAN while the kernel and our announcer talk. Unit tests decode these (kernel-made checksums
// check our checksum code; our frames check the encoders did not drift).
// Run: node --import tsx test/support/capture-l2-fixtures.ts   (root, iproute2, tcpdump, arping, ndisc6)
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { L2Lan } from './l2-lab.js';

interface Captured {
  name: string;
  description: string;
  hex: string;
}

const out = fileURLToPath(new URL('../../fixtures/packets/l2-frames.json', import.meta.url));
const lan = new L2Lan('lbl2cap', { nodes: 1 });
try {
  const runner = await lan.startAnnouncer(lan.nodes[0]!);
  const dump = spawn('ip', ['netns', 'exec', lan.client.name, 'tcpdump', '-i', 'eth0', '-n', '-e', '-xx', '-l', '-c', '60', 'arp or icmp6'], { stdio: ['ignore', 'pipe', 'ignore'] });
  lan.lab.track(dump);
  let text = '';
  dump.stdout.on('data', (b) => (text += b));
  await new Promise((r) => setTimeout(r, 1000));
  await runner.call('set', { ips: { '192.0.2.100': {}, '2001:db8::100': {} } });
  await new Promise((r) => setTimeout(r, 300));
  lan.client.exec('arping', ['-c', '1', '-w', '2', '-I', 'eth0', '192.0.2.100']);
  try { lan.client.exec('ping', ['-6', '-c', '1', '-W', '1', '2001:db8::100']); } catch { /* no echo server: only the NS/NA matter */ }
  lan.client.exec('sysctl', ['-qw', 'net.ipv6.conf.eth0.accept_dad=1']);
  lan.client.exec('ip', ['addr', 'add', '2001:db8::55/64', 'dev', 'eth0']); // DAD probe (no nodad)
  await new Promise((r) => setTimeout(r, 1500));
  dump.kill('SIGINT');
  await new Promise((r) => setTimeout(r, 300));
  if (process.env.SHOW) console.log(parse(text).map((r) => r.summary).join('\n'));
  writeFileSync(out, JSON.stringify(pick(parse(text)), null, 2) + '\n');
  console.log(`wrote ${out}`);
  runner.stop();
} finally {
  lan.cleanup();
}

/** parse turns `tcpdump -xx` output into (summary, bytes) records. */
function parse(text: string): { summary: string; hex: string }[] {
  const recs: { summary: string; hex: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s+0x[0-9a-f]+:\s+((?:[0-9a-f]{2,4}\s?)+)/.exec(line);
    if (m && recs.length) recs[recs.length - 1]!.hex += m[1]!.replace(/\s+/g, '');
    else if (/^\d/.test(line)) recs.push({ summary: line.trim(), hex: '' });
  }
  return recs;
}

function pick(recs: { summary: string; hex: string }[]): Captured[] {
  const want: [string, string, (s: string) => boolean][] = [
    ['kernel-arp-request', 'arping (iputils) broadcast ARP request for 192.0.2.100', (s) => /02:00:00:00:00:c1 > ff:ff:ff:ff:ff:ff.*Request who-has 192.0.2.100 \(ff:ff:ff:ff:ff:ff\) tell 192.0.2.2,/.test(s)],
    ['lbctl-arp-reply', 'our ARP reply for 192.0.2.100 from 02:00:00:00:00:11', (s) => /02:00:00:00:00:11 > 02:00:00:00:00:c1.*Reply 192.0.2.100 is-at 02:00:00:00:00:11/.test(s)],
    ['lbctl-garp-request', 'our gratuitous ARP, request form', (s) => /Request who-has 192.0.2.100 \(ff:ff:ff:ff:ff:ff\) tell 192.0.2.100/.test(s)],
    ['lbctl-garp-reply', 'our gratuitous ARP, reply form (broadcast)', (s) => /> ff:ff:ff:ff:ff:ff.*Reply 192.0.2.100 is-at 02:00:00:00:00:11/.test(s)],
    ['kernel-ns', 'Linux neighbor solicitation for 2001:db8::100 with source link-layer option', (s) => /2001:db8::2 > ff02::1:ff00:100.*neighbor solicitation/.test(s)],
    ['lbctl-solicited-na', 'our solicited NA (S=1, O=0) from 2001:db8::100', (s) => /2001:db8::100 > 2001:db8::2.*neighbor advertisement/.test(s)],
    ['lbctl-unsolicited-na', 'our unsolicited NA to ff02::1 (O=1)', (s) => /2001:db8::100 > ff02::1:.*neighbor advertisement/.test(s)],
    ['kernel-dad-ns', 'Linux duplicate address detection probe for 2001:db8::55 (source ::)', (s) => / :: > ff02::1:ff00:55.*neighbor solicitation/.test(s)],
  ];
  const got: Captured[] = [];
  for (const [name, description, match] of want) {
    const r = recs.find((x) => match(x.summary));
    if (r) got.push({ name, description, hex: r.hex });
    else console.warn(`not captured: ${name}`);
  }
  return got;
}
