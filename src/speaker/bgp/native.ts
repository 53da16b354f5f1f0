// NativeBackend: the BgpBackend that speaks BGP itself, one BgpSession per selected peer.
import os from 'node:os';
import type { BFDProfile, Peer } from '../../model/index.js';
import { createLogger, type Logger } from '../../log.js';
import type { BgpBackend, BgpBackendStats, PeerSessionState } from './backend.js';
import { realClock, type Clock } from './clock.js';
import type { Dialer } from './dial.js';
import { fallbackRouterId, ipv6NextHopFor, type InterfaceTable } from './nexthop.js';
import type { PeerRoutes } from './route.js';
import { BgpSession, type SessionConfig } from './session.js';
import type { SessionCounters } from './rib-sender.js';

/** NativeBackendOptions are the edges and tunables of the native backend; only `dial` is required. */
export interface NativeBackendOptions {
  dial: Dialer;
  nodeName?: string;
  clock?: Clock;
  log?: Logger;
  /** connectTimeoutMs bounds one TCP connect (MetalLB: 10 s). */
  connectTimeoutMs?: number;
  /** openWaitMs bounds the wait for the peer's OPEN (RFC 4271: 4 minutes). */
  openWaitMs?: number;
  /** nextHopV6 for IPv6 routes on IPv4 sessions; default: a global IPv6 address on the session's interface. */
  nextHopV6?: string;
  /** nextHopV4 for IPv4 routes on IPv6 sessions (there is no way to derive one). */
  nextHopV4?: string;
  interfaces?: () => InterfaceTable;
}

interface Entry {
  key: string;
  session: BgpSession;
}

// Fields that change the session itself: any change closes the session and opens a new one.
function sessionKey(p: Peer): string {
  return JSON.stringify([p.myASN, p.peerASN, p.peerAddress, p.peerPort, p.holdTime, p.keepaliveTime, p.routerID, p.sourceAddress, p.password]);
}

/** NativeBackend keeps one native session per peer and feeds each its routes. */
export class NativeBackend implements BgpBackend {
  private readonly entries = new Map<string, Entry>();
  private routes: PeerRoutes = new Map();
  private readonly listeners: ((s: PeerSessionState) => void)[] = [];
  private readonly log: Logger;
  private readonly ifaces: () => InterfaceTable;

  constructor(private readonly opts: NativeBackendOptions) {
    this.log = opts.log ?? createLogger('bgp-native');
    this.ifaces = opts.interfaces ?? (() => os.networkInterfaces() as InterfaceTable);
  }

  /** setPeers opens sessions to new peers, closes removed ones (Cease) and recreates changed ones. */
  setPeers(peers: Peer[], _bfdProfiles: BFDProfile[]): void {
    const want = new Map(peers.map((p) => [p.name, p]));
    for (const [name, e] of this.entries) {
      const p = want.get(name);
      if (p && sessionKey(p) === e.key) continue;
      const wasUp = e.session.status().up;
      this.entries.delete(name);
      void e.session.stop();
      if (wasUp) this.emit({ peer: name, up: false, reason: p ? 'peer changed' : 'peer removed' });
    }
    for (const p of peers) {
      if (this.entries.has(p.name)) continue;
      if (p.passwordSecret && !p.password) {
        this.log.warn({ peer: p.name, secret: `${p.passwordSecret.namespace}/${p.passwordSecret.name}` }, 'password secret not resolved; connecting without TCP MD5');
      }
      if (p.bfdProfile || p.vrf || p.enableGracefulRestart) {
        this.log.warn({ peer: p.name }, 'bfdProfile, vrf and graceful restart need --bgp-mode frr; ignored by the native speaker');
      }
      const session = new BgpSession(this.sessionConfig(p), {
        clock: this.opts.clock ?? realClock,
        dial: this.opts.dial,
        log: this.log,
        localIPv6For: (v4) => ipv6NextHopFor(v4, this.ifaces()),
        fallbackRouterId: fallbackRouterId(this.ifaces(), this.opts.nodeName ?? os.hostname()),
      });
      // Only the current session of a peer reports; a replaced or removed one was already reported.
      session.onEvent((ev) => this.entries.get(p.name)?.session === session && this.emit({ peer: p.name, up: ev.up, reason: ev.up ? undefined : ev.reason }));
      session.setRoutes(this.routes.get(p.name) ?? []);
      this.entries.set(p.name, { key: sessionKey(p), session });
      session.start();
    }
  }

  private sessionConfig(p: Peer): SessionConfig {
    return {
      name: p.name, peerAddress: p.peerAddress, peerPort: p.peerPort, myASN: p.myASN, peerASN: p.peerASN,
      holdTime: p.holdTime, keepaliveTime: p.keepaliveExplicit ? p.keepaliveTime : 0,
      routerId: p.routerID, sourceAddress: p.sourceAddress, password: p.password,
      connectTimeoutMs: this.opts.connectTimeoutMs ?? 10_000, openWaitMs: this.opts.openWaitMs ?? 240_000,
      nextHopV6: this.opts.nextHopV6, nextHopV4: this.opts.nextHopV4,
    };
  }

  /** setRoutes hands every session its desired table; sessions send only the difference. */
  setRoutes(routes: PeerRoutes): void {
    this.routes = routes;
    for (const [name, e] of this.entries) e.session.setRoutes(routes.get(name) ?? []);
  }

  /** sessions reports each peer's state and, when down, why. */
  sessions(): PeerSessionState[] {
    return [...this.entries].map(([peer, e]) => {
      const s = e.session.status();
      return s.up ? { peer, up: true } : { peer, up: false, reason: s.reason };
    });
  }

  /** stats sums UPDATE counts and bytes over all sessions; updatesByPeer and prefixesAnnounced are per peer. */
  stats(): BgpBackendStats {
    const out: BgpBackendStats = { updatesSent: 0, updatesByPeer: new Map(), bytesSent: 0, prefixesAnnounced: new Map() };
    for (const [peer, e] of this.entries) {
      const c = e.session.counters();
      out.updatesSent += c.updatesSent;
      out.updatesByPeer.set(peer, c.updatesSent);
      out.bytesSent += c.bytesSent;
      out.prefixesAnnounced.set(peer, e.session.status().up ? e.session.announcedCount() : 0);
    }
    return out;
  }

  /** peerCounters returns one peer's detailed counters (UPDATE bytes, received UPDATEs, ...). */
  peerCounters(peer: string): SessionCounters | undefined {
    return this.entries.get(peer)?.session.counters();
  }

  /** onSessionChange registers a listener for session up/down. */
  onSessionChange(cb: (state: PeerSessionState) => void): void {
    this.listeners.push(cb);
  }

  /** close sends Cease to every peer and waits (bounded per session) for the connections to close. */
  async close(): Promise<void> {
    const all = [...this.entries.values()];
    for (const [peer, e] of this.entries) if (e.session.status().up) this.emit({ peer, up: false, reason: 'backend closed' });
    this.entries.clear();
    await Promise.all(all.map((e) => e.session.stop()));
  }

  private emit(s: PeerSessionState): void {
    for (const cb of this.listeners) cb(s);
  }
}
