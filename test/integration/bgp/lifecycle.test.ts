// Session lifecycle against real routers: a restarted peer gets the whole table again, a frozen peer
// is detected by the hold timer, and TCP MD5 lets the right password in and keeps a wrong one out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '../../support/netns.js';
import { startRouter, type RouterKind, type RouterSpec, type TestRouter } from '../../support/routers.js';
import { RTR, SPK, bgpLabMissing, closeBgpLab, openBgpLab, type BgpLab } from '../../support/bgp-lab.js';
import { makePeer } from '../../support/speaker-proc.js';
import type { Route } from '../../../src/speaker/bgp/route.js';

const missing = bgpLabMissing(['bird', 'frr', 'gobgp']);
let l: BgpLab | undefined;
let n = 0;

test.before(async () => {
  if (!missing) l = await openBgpLab('lbbgp', { connectTimeoutMs: 2000 });
});
test.after(async () => closeBgpLab(l));

const table: Route[] = [
  { prefix: '203.0.113.20/32', localPref: 0, communities: [] },
  { prefix: '2001:db8:7::/64', localPref: 0, communities: [] },
];

function spec(kind: RouterKind, extra: { holdTime?: number; password?: string } = {}): RouterSpec {
  return {
    kind, ns: l!.rtr, routerId: RTR.v4, asn: 64513, localAddress: RTR.v4, apiPort: 50100 + (process.pid % 400),
    neighbors: [{ address: SPK.v4, asn: 64512, holdTime: extra.holdTime ?? 9, password: extra.password }],
  };
}

async function withPeer(kind: RouterKind, opts: { holdTime?: number; password?: string; routerPassword?: string }, body: (peer: string, router: () => TestRouter, restart: () => Promise<void>) => Promise<void>): Promise<void> {
  const peer = `${kind}-${++n}`;
  const rs = spec(kind, { holdTime: opts.holdTime, password: opts.routerPassword });
  let router: TestRouter | undefined = await startRouter(l!.lab, rs);
  try {
    await l!.speaker.setPeers([makePeer({ name: peer, peerAddress: RTR.v4, myASN: 64512, peerASN: 64513, holdTime: opts.holdTime ?? 9, password: opts.password })]);
    await l!.speaker.setRoutes({ [peer]: table });
    await body(peer, () => router!, async () => {
      await router!.stop();
      router = undefined;
      router = await startRouter(l!.lab, rs);
    });
  } finally {
    await l!.speaker.setPeers([]);
    await router?.stop();
  }
}

const skipAll = (name: string) => missing && (test.skip(name), true);

for (const kind of ['bird', 'frr', 'gobgp'] as RouterKind[]) {
  const name = `${kind}: after the peer restarts, the session comes back and the full table is announced again`;
  if (!skipAll(name)) {
    test(name, async () => {
      await withPeer(kind, {}, async (peer, router, restart) => {
        await waitFor('table', () => (router().routes().length === 2 ? true : undefined), 15_000, 100);
        await restart();
        await waitFor('second session', () => (l!.speaker.upCount(peer) >= 2 ? true : undefined), 20_000, 100);
        const got = await waitFor('table again', () => {
          const rs = router().routes();
          return rs.length === 2 ? rs : undefined;
        }, 10_000, 100);
        assert.equal(got.map((r) => r.prefix).sort(), ['2001:db8:7::/64', '203.0.113.20/32']);
      });
    });
  }
}

{
  const name = 'frr: the routes FRR sends back to us are decoded and ignored, and the session stays up';
  if (!skipAll(name)) {
    test(name, async () => {
      await withPeer('frr', {}, async (peer, router) => {
        await waitFor('table', () => (router().routes().length === 2 ? true : undefined), 15_000, 100);
        const counters = async () => ((await l!.speaker.status(peer)).counters as { updatesReceived: number }).updatesReceived;
        const got = await waitFor('an UPDATE from FRR', async () => ((await counters()) > 0 ? counters() : undefined), 5_000, 100);
        assert.ok(got > 0);
        assert.equal(l!.speaker.events.filter((e) => e.peer === peer).map((e) => e.up), [true]);
      });
    });
  }
}

for (const kind of ['bird', 'frr', 'gobgp'] as RouterKind[]) {
  const name = `${kind}: a peer that stops sending (SIGSTOP) is detected by the 3 s hold timer`;
  if (!skipAll(name)) {
    test(name, async () => {
      await withPeer(kind, { holdTime: 3 }, async (peer, router) => {
        await waitFor('up', () => (l!.speaker.upCount(peer) >= 1 ? true : undefined), 15_000, 50);
        await new Promise((r) => setTimeout(r, 500));
        const stoppedAt = Date.now();
        router().proc.kill('SIGSTOP');
        try {
          const down = await waitFor('hold timer', () => l!.speaker.events.find((e) => e.peer === peer && !e.up), 6_000, 20);
          const ms = down.t - stoppedAt;
          console.log(`  ${kind}: silent peer detected after ${ms} ms (hold time 3000 ms)`);
          assert.is(down.reason, 'hold timer expired');
          // the timer runs from the last KEEPALIVE received before the freeze, so this is at most 3 s;
          // 500 ms of slack absorbs timer latency on a loaded machine
          assert.ok(ms <= 3_500, `detected within the hold time (${ms} ms)`);
          assert.ok(ms >= 1_500, `not before the peer was silent long enough (${ms} ms)`);
        } finally {
          router().proc.kill('SIGCONT');
        }
      });
    });
  }
}

for (const kind of ['frr', 'bird'] as RouterKind[]) {
  const right = `${kind}: TCP MD5 with the right password establishes and carries routes`;
  if (!skipAll(right)) {
    test(right, async () => {
      await withPeer(kind, { password: 'lbbgp-s3cret', routerPassword: 'lbbgp-s3cret' }, async (peer, router) => {
        await waitFor('up', () => (l!.speaker.upCount(peer) >= 1 ? true : undefined), 15_000, 50);
        await waitFor('table', () => (router().routes().length === 2 ? true : undefined), 10_000, 100);
      });
    });
  }
  const wrong = `${kind}: TCP MD5 with a wrong password never establishes`;
  if (!skipAll(wrong)) {
    test(wrong, async () => {
      await withPeer(kind, { password: 'not-the-key', routerPassword: 'lbbgp-s3cret' }, async (peer, router) => {
        await new Promise((r) => setTimeout(r, 5_000));
        assert.is(l!.speaker.upCount(peer), 0);
        assert.not.ok(router().established(SPK.v4));
        const st = await l!.speaker.status();
        const s = (st.sessions as { peer: string; reason?: string }[]).find((x) => x.peer === peer);
        assert.match(s?.reason ?? '', /timed out|connect/);
      });
    });
  }
}

{
  const name = 'bird: a ROUTE-REFRESH from the router (`birdc reload in`) gets the full table again';
  if (!skipAll(name)) {
    test(name, async () => {
      await withPeer('bird', {}, async (peer, router) => {
        await waitFor('table', () => (router().routes().length === 2 ? true : undefined), 15_000, 100);
        const announced = async () => ((await l!.speaker.status(peer)).counters as { prefixesAnnounced: number }).prefixesAnnounced;
        assert.is(await announced(), 2);
        l!.rtr.exec('birdc', ['-s', router().control, 'reload', 'in', 'n0']);
        await waitFor('the table sent again', async () => ((await announced()) === 4 ? true : undefined), 5_000, 50);
        assert.is(router().routes().length, 2);
        assert.equal(l!.speaker.events.filter((e) => e.peer === peer).map((e) => e.up), [true], 'no reset');
      });
    });
  }
}

{
  const name = 'bird: a router that refuses our OPEN (wrong AS configured) shows its NOTIFICATION as the reason';
  if (!skipAll(name)) {
    test(name, async () => {
      const peer = `bird-${++n}`;
      const router = await startRouter(l!.lab, { ...spec('bird'), neighbors: [{ address: SPK.v4, asn: 64599, holdTime: 9 }] });
      try {
        await l!.speaker.setPeers([makePeer({ name: peer, peerAddress: RTR.v4, myASN: 64512, peerASN: 64513, holdTime: 9 })]);
        const reason = await waitFor('a refusal', async () => {
          const st = await l!.speaker.status();
          const s = (st.sessions as { peer: string; reason?: string }[]).find((x) => x.peer === peer);
          return s?.reason?.startsWith('peer sent notification') ? s.reason : undefined;
        }, 10_000, 100);
        assert.is(reason, 'peer sent notification 2/2 (open message error/bad peer as)');
      } finally {
        await l!.speaker.setPeers([]);
        await router.stop();
      }
    });
  }
}

{
  const name = 'a peer address nobody answers on times out after the connect timeout and is retried';
  if (!skipAll(name)) {
    test(name, async () => {
      const peer = `silent-${++n}`;
      try {
        await l!.speaker.setPeers([makePeer({ name: peer, peerAddress: '192.0.2.77', myASN: 64512, peerASN: 64513 })]);
        const reason = await waitFor('a timeout', async () => {
          const st = await l!.speaker.status();
          const s = (st.sessions as { peer: string; reason?: string }[]).find((x) => x.peer === peer);
          return s?.reason?.includes('timed out') ? s.reason : undefined;
        }, 6_000, 100);
        assert.is(reason, 'connect: connect 192.0.2.77:179 timed out after 2000 ms');
      } finally {
        await l!.speaker.setPeers([]);
      }
    });
  }
}

if (missing) console.log(`bgp lifecycle skipped: ${missing}`);
test.run();
