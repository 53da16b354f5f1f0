// FrrBackend with a fake command runner, file writer and scheduler: debounce, skip of identical
// configs, retries, redaction, argv, status and close. The real bgpd is in test/integration/bgp.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { FrrBackend, defaultReloadCommand, redactPasswords } from '../../../src/speaker/frr/backend.js';
import type { CommandResult } from '../../../src/speaker/frr/io.js';
import type { Scheduler } from '../../../src/speaker/bgp/manager.js';
import type { PeerSessionState } from '../../../src/speaker/bgp/backend.js';
import { peer } from '../bgp/build.js';

const neighborsJson = readFileSync(new URL('../../../fixtures/frr/show-bgp-vrf-all-neighbors.json', import.meta.url), 'utf8');

function harness(results: Partial<CommandResult>[] = []) {
  const runs: string[][] = [];
  const writes: { file: string; text: string; mode: number }[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const lines: Record<string, unknown>[] = [];
  const schedule: Scheduler = (fn, ms) => {
    const t = { fn, ms };
    timers.push(t);
    return () => timers.splice(timers.indexOf(t), 1);
  };
  const backend = new FrrBackend({
    hostname: 'node1',
    configPath: '/run/lbfrr/frr.conf',
    vtyshSocketDir: '/run/lbfrr/vty',
    daemon: 'bgpd',
    statusPollMs: 0,
    debounceMs: 3000,
    retryMs: 5000,
    schedule,
    logger: pino({ level: 'debug' }, new Writable({ write(c, _e, cb) { lines.push(JSON.parse(String(c))); cb(); } })),
    write: async (file, text, mode) => void writes.push({ file, text, mode }),
    run: async (argv) => {
      runs.push([...argv]);
      const r = argv.includes('show bgp vrf all neighbors json') ? { stdout: neighborsJson } : results.shift() ?? {};
      return { code: 0, stdout: '', stderr: '', timedOut: false, ...r };
    },
  });
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  /** fire runs due timers (the fake clock jumps), including ones they arm, for a bounded number of rounds. */
  const fire = async (rounds = 50) => {
    for (let i = 0; i < rounds; i++) {
      await settle();
      if (timers.length === 0) return;
      for (const t of timers.splice(0)) t.fn();
    }
  };
  return { backend, runs, writes, timers, lines, fire, settle };
}

const p1 = peer('p1', { peerAddress: '192.0.2.2', peerASN: 64513, password: 'hunter2' });
const route = (prefix: string) => ({ prefix, localPref: 0, communities: [] });

test('changes inside the debounce make one write and one reload of the latest state', async () => {
  const h = harness();
  h.backend.setPeers([p1], []);
  h.backend.setRoutes(new Map([['p1', [route('198.51.100.1/32')]]]));
  h.backend.setRoutes(new Map([['p1', [route('198.51.100.2/32')]]]));
  assert.equal(h.timers.map((t) => t.ms), [3000]);
  await h.fire();
  assert.is(h.writes.length, 1);
  assert.match(h.writes[0]!.text, 'network 198.51.100.2/32');
  assert.not.match(h.writes[0]!.text, '198.51.100.1/32');
  assert.is(h.runs.length, 1);
});

test('the config is written with mode 0600 and applied with the configured frr-reload argv', async () => {
  const h = harness();
  h.backend.setPeers([p1], []);
  await h.backend.flush();
  assert.equal(h.writes.map((w) => [w.file, w.mode]), [['/run/lbfrr/frr.conf', 0o600]]);
  assert.equal(h.runs[0], [...defaultReloadCommand({ configPath: '/run/lbfrr/frr.conf', vtyshSocketDir: '/run/lbfrr/vty', daemon: 'bgpd' }), '/run/lbfrr/frr.conf']);
  assert.ok(h.runs[0]!.includes('--vty_socket') && h.runs[0]!.includes('--daemon'));
  assert.is(h.backend.lastAppliedConfig(), h.writes[0]!.text);
});

test('an identical render is skipped without running frr-reload', async () => {
  const h = harness();
  h.backend.setPeers([p1], []);
  await h.backend.flush();
  h.backend.setPeers([structuredClone(p1)], []);
  h.backend.setRoutes(new Map([['p1', []]]));
  await h.fire();
  assert.is(h.runs.length, 1);
  assert.equal(h.backend.counters, { applies: 1, failures: 0, skipped: 1 });
});

test('a failed reload is retried after retryMs and the logged error hides the password', async () => {
  const h = harness([{ code: 1, stderr: 'line 9: Failure to communicate[13] to bgpd, line:  neighbor 192.0.2.2 password hunter2' }]);
  h.backend.setPeers([p1], []);
  await h.backend.flush();
  assert.equal(h.backend.counters, { applies: 0, failures: 1, skipped: 0 });
  assert.equal(h.timers.map((t) => t.ms), [5000]);
  const err = h.lines.find((l) => l.event === 'frrReloadFailed')!;
  assert.match(String(err.error), 'password <redacted>');
  assert.not.match(JSON.stringify(h.lines), 'hunter2');
  await h.fire();
  assert.equal(h.backend.counters, { applies: 1, failures: 1, skipped: 0 });
  assert.is(h.runs.length, 2);
});

test('a newer change during the retry wait replaces the retry with a debounce', async () => {
  const h = harness([{ code: 1 }]);
  h.backend.setPeers([p1], []);
  await h.backend.flush();
  h.backend.setRoutes(new Map([['p1', [route('198.51.100.9/32')]]]));
  assert.equal(h.timers.map((t) => t.ms), [3000]);
  await h.fire();
  assert.match(h.writes.at(-1)!.text, 'network 198.51.100.9/32');
  assert.is(h.backend.counters.applies, 1);
});

test('a reload that times out counts as a failure', async () => {
  const h = harness([{ code: null, timedOut: true }]);
  h.backend.setPeers([p1], []);
  await h.backend.flush();
  assert.is(h.backend.counters.failures, 1);
  assert.match(String(h.lines.find((l) => l.event === 'frrReloadFailed')!.error), 'timed out');
});

test('session state comes from vtysh and listeners hear each transition once', async () => {
  const h = harness();
  const heard: PeerSessionState[] = [];
  h.backend.onSessionChange((s) => heard.push(s));
  const gone = peer('gone', { peerAddress: '192.0.2.99', peerASN: 64513 });
  h.backend.setPeers([peer('ext', { peerAddress: '192.0.2.2', peerASN: 64513 }), gone], []);
  assert.equal(h.backend.sessions().map((s) => s.reason), ['no status read yet', 'no status read yet']);
  await h.backend.refreshStatus();
  await h.backend.refreshStatus();
  assert.equal(heard.map((s) => [s.peer, s.up]), [['ext', true], ['gone', false]]);
  assert.equal(h.runs.at(-1), ['vtysh', '--vty_socket', '/run/lbfrr/vty', '-c', 'show bgp vrf all neighbors json']);
  assert.equal(h.backend.stats(), { updatesSent: 3, updatesByPeer: new Map([['ext', 3], ['gone', 0]]), bytesSent: 0, prefixesAnnounced: new Map([['ext', 1], ['gone', 0]]) });
});

test('a removed peer first loses its routes, then its neighbor, with status read in between', async () => {
  const h = harness();
  const gone = peer('gone', { peerAddress: '192.0.2.99', peerASN: 64513 });
  h.backend.setPeers([p1, gone], []);
  h.backend.setRoutes(new Map([['p1', [route('198.51.100.1/32')]], ['gone', [route('198.51.100.2/32')]]]));
  await h.backend.flush();
  h.backend.setPeers([p1], []);
  h.backend.setRoutes(new Map([['p1', [route('198.51.100.1/32')]]]));
  await h.backend.flush();
  const configs = h.writes.filter((w) => w.file === '/run/lbfrr/frr.conf').map((w) => w.text);
  const [interim, final] = configs.slice(1);
  const deletes = h.writes.filter((w) => w.file === '/run/lbfrr/frr.conf.batch').map((w) => w.text);
  // Only the interim step withdraws a prefix; the final step's deletions are left to frr-reload.
  assert.equal(deletes, [
    [
      'router bgp 64512',
      ' address-family ipv4 unicast',
      '  no network 198.51.100.2/32',
      ' exit-address-family',
      'exit',
      'no ip prefix-list 192.0.2.99-pl-ipv4 seq 3258359791 permit 198.51.100.2/32',
      '',
    ].join('\n'),
  ]);
  assert.match(interim!, 'neighbor 192.0.2.99 remote-as 64513');
  assert.not.match(interim!, '198.51.100.2/32');
  assert.not.match(final!, '192.0.2.99');
  const kinds = h.runs.slice(1).map((a) => (a.includes('show bgp vrf all neighbors json') ? 'status' : a.includes('-f') ? 'batch-delete' : 'reload'));
  assert.equal(kinds, ['batch-delete', 'reload', 'status', 'reload']);
  assert.equal(h.runs[1], ['vtysh', '--vty_socket', '/run/lbfrr/vty', '-f', '/run/lbfrr/frr.conf.batch']);
});

test('the wait for withdrawals is bounded when a router keeps showing routes as sent', async () => {
  const h = harness();
  const ext = peer('ext', { peerAddress: '192.0.2.2', peerASN: 64513 }); // Established, 1 prefix sent in the fixture
  h.backend.setPeers([ext], []);
  await h.backend.flush();
  h.backend.setPeers([], []);
  const done = h.backend.flush();
  await h.fire();
  await done;
  const polls = h.runs.filter((a) => a.includes('show bgp vrf all neighbors json')).length;
  assert.is(polls, 20, 'withdrawTimeoutMs 2000 / 100 ms steps');
  assert.ok(h.lines.some((l) => l.event === 'frrWithdrawTimeout'));
  assert.not.match(h.writes.at(-1)!.text, 'router bgp');
});

test('close withdraws and removes every peer, then ignores later changes', async () => {
  const h = harness();
  h.backend.setPeers([p1], []);
  h.backend.setRoutes(new Map([['p1', [route('198.51.100.1/32')]]]));
  await h.backend.flush();
  const closing = h.backend.close(); // the fixture shows 192.0.2.2 Established: the bounded wait runs
  await h.fire();
  await closing;
  const configs = h.writes.filter((w) => w.file === '/run/lbfrr/frr.conf').map((w) => w.text);
  assert.not.match(configs.at(-2)!, 'network 198.51.100.1/32');
  assert.match(configs.at(-2)!, 'neighbor 192.0.2.2 remote-as');
  assert.not.match(configs.at(-1)!, 'router bgp');
  h.backend.setPeers([p1], []);
  assert.is(h.timers.length, 0);
});

test('withdrawOnClose false leaves FRR announcing (graceful restart keeps routes during a restart)', async () => {
  const calls: string[] = [];
  const backend = new FrrBackend({
    hostname: 'n',
    statusPollMs: 0,
    withdrawOnClose: false,
    schedule: () => () => undefined,
    write: async (file) => void calls.push(`write ${file}`),
    run: async (argv) => {
      calls.push(`run ${argv[0]}`);
      return { code: 0, stdout: '', stderr: '', timedOut: false };
    },
  });
  backend.setPeers([p1], []);
  await backend.close();
  assert.equal(calls, []);
});

test('a neighbor missing from FRR after an apply (bgpd restarted) forces a re-apply', async () => {
  const h = harness();
  const lost = peer('lost', { peerAddress: '192.0.2.77', peerASN: 64513 }); // not in the captured status
  h.backend.setPeers([lost], []);
  await h.backend.flush();
  await h.backend.refreshStatus();
  assert.ok(h.lines.some((l) => l.event === 'frrConfigDrift'));
  await h.fire();
  assert.is(h.backend.counters.applies, 2, 'the same text was applied again');
  assert.is(h.backend.counters.skipped, 0);
});

test('no drift is reported while every applied neighbor is known to FRR', async () => {
  const h = harness();
  h.backend.setPeers([peer('ext', { peerAddress: '192.0.2.2', peerASN: 64513 })], []);
  await h.backend.flush();
  await h.backend.refreshStatus();
  assert.not.ok(h.lines.some((l) => l.event === 'frrConfigDrift'));
  assert.is(h.timers.length, 0);
});

test('redactPasswords hides every password in a text', () => {
  assert.is(redactPasswords(' neighbor a password x1\n neighbor b password  y2'), ' neighbor a password <redacted>\n neighbor b password  <redacted>');
});

test.run();
