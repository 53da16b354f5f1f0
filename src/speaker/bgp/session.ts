// One BGP session to one peer, active side only (like MetalLB: we dial, never listen). The RFC 4271
// FSM collapsed to the states an active speaker that only announces needs: Idle -> Connect ->
// OpenSent -> OpenConfirm -> Established. Unlike MetalLB's native speaker the hold timer is
// enforced on what we receive, and routes go out as a packed diff.
import type { Socket } from 'node:net';
import { isIPv4 } from 'node:net';
import type { Logger } from '../../log.js';
import {
  Afi, CeaseSubcode, ErrorCode, FrameReader, FsmSubcode, KEEPALIVE, BgpDecodeError, buildOpen, decodeMessage,
  describeNotification, encodeNotification, encodeOpen, endOfRib, Safi, type BgpMessage, type Notification, type OpenMessage,
} from '../../wire/bgp/index.js';
import { Backoff } from './backoff.js';
import { Timer } from './clock.js';
import { closeWith } from './close.js';
import type { SessionConfig, SessionDeps, SessionEvent, SessionState } from './session-types.js';
import { checkOpen, type Negotiated } from './open-check.js';
import { RibSender, type SessionCounters } from './rib-sender.js';
import type { Route } from './route.js';

export type { SessionConfig, SessionDeps, SessionEvent, SessionState } from './session-types.js';

const FAMILIES = [{ afi: Afi.IPV4, safi: Safi.UNICAST }, { afi: Afi.IPV6, safi: Safi.UNICAST }];

/**
 * BgpSession keeps one peer's session alive and makes the peer hold exactly the routes given to
 * setRoutes(). It never throws at its caller: every failure becomes a reason, a NOTIFICATION when the
 * RFC asks for one, and a reconnect after backoff.
 */
export class BgpSession {
  private state: SessionState = 'idle';
  private reason = 'not started';
  private sock: Socket | undefined;
  private reader = new FrameReader();
  private negotiated: Negotiated | undefined;
  private localAddress = '';
  private routerId = '';
  private gen = 0;
  private flushQueued = false;
  private readonly hold: Timer;
  private readonly keepalive: Timer;
  private readonly retry: Timer;
  private readonly backoff: Backoff;
  private readonly rib: RibSender;
  private readonly listeners: ((e: SessionEvent) => void)[] = [];
  private readonly log: Logger;

  constructor(readonly cfg: SessionConfig, private readonly deps: SessionDeps) {
    this.hold = new Timer(deps.clock, () => this.onHoldExpired());
    this.keepalive = new Timer(deps.clock, () => this.guard(() => this.sendKeepalive()));
    this.retry = new Timer(deps.clock, () => this.connect());
    this.backoff = deps.backoff ?? new Backoff();
    this.rib = new RibSender(cfg.myASN === cfg.peerASN);
    this.log = deps.log.child({ peer: cfg.name, peerAddress: cfg.peerAddress });
  }

  /** start begins connecting; calling it again while running does nothing. */
  start(): void {
    if (this.state === 'idle' && !this.retry.running()) this.connect();
  }

  /** onEvent registers a listener for up/down transitions. */
  onEvent(cb: (e: SessionEvent) => void): void {
    this.listeners.push(cb);
  }

  /** setRoutes replaces the desired table; the difference goes out on the next microtask when Established. */
  setRoutes(routes: Route[]): void {
    this.rib.setDesired(routes);
    this.scheduleFlush();
  }

  /** status reports the FSM state and, when not Established, why. */
  status(): { state: SessionState; up: boolean; reason: string; negotiated?: Negotiated; localAddress: string } {
    const up = this.state === 'established';
    return { state: this.state, up, reason: up ? 'established' : this.reason, negotiated: this.negotiated, localAddress: this.localAddress };
  }

  /** counters returns this session's message and byte counts since creation. */
  counters(): SessionCounters {
    return this.rib.counters;
  }

  /** announcedCount is how many prefixes the peer holds from us. */
  announcedCount(): number {
    return this.rib.sentPrefixes().length;
  }

  /** stop sends Cease/Administrative Shutdown when a connection is open, closes it and stops retrying. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const sock = this.sock;
    const open = this.state !== 'idle' && this.state !== 'connect';
    const wasUp = this.state === 'established';
    this.gen++;
    this.sock = undefined;
    this.stopTimers();
    this.retry.stop();
    this.state = 'stopped';
    this.reason = 'stopped';
    if (wasUp) this.emit({ up: false, reason: 'stopped' });
    if (!sock) return;
    if (!open) return void sock.destroy();
    await closeWith(sock, encodeNotification({ code: ErrorCode.CEASE, subcode: CeaseSubcode.ADMINISTRATIVE_SHUTDOWN }), this.deps.clock);
  }

  private connect(): void {
    const gen = ++this.gen;
    this.state = 'connect';
    const c = this.cfg;
    this.log.debug({ port: c.peerPort, source: c.sourceAddress }, 'connecting');
    this.deps.dial({ host: c.peerAddress, port: c.peerPort, localAddress: c.sourceAddress, password: c.password, timeoutMs: c.connectTimeoutMs }).then(
      (sock) => (gen === this.gen ? this.guard(() => this.onConnected(sock, gen)) : sock.destroy()),
      (err: Error) => gen === this.gen && this.down(`connect: ${err.message}`),
    );
  }

  private onConnected(sock: Socket, gen: number): void {
    this.sock = sock;
    this.reader = new FrameReader();
    this.negotiated = undefined;
    sock.setNoDelay(true);
    sock.on('data', (c: Buffer) => gen === this.gen && this.guard(() => this.onData(c)));
    sock.on('error', (e: Error) => gen === this.gen && this.down(`socket: ${e.message}`));
    sock.on('close', () => gen === this.gen && this.down('connection closed by peer'));
    this.localAddress = (sock.localAddress ?? '').replace(/^::ffff:(?=\d+\.)/, '');
    // The BGP identifier is 4 octets: an IPv6 routerID (MetalLB's encoder panicked on one) is not usable.
    const configured = this.cfg.routerId && isIPv4(this.cfg.routerId) ? this.cfg.routerId : undefined;
    if (this.cfg.routerId && !configured) this.log.warn({ routerId: this.cfg.routerId }, 'routerID is not IPv4; deriving one');
    this.routerId = configured ?? (isIPv4(this.localAddress) ? this.localAddress : this.deps.fallbackRouterId ?? '0.0.0.1');
    const open = buildOpen({ asn: this.cfg.myASN, holdTime: this.cfg.holdTime, routerId: this.routerId, families: FAMILIES });
    this.state = 'opensent';
    this.write(encodeOpen(open));
    this.hold.start(this.cfg.openWaitMs);
  }

  // guard turns a bug in our own code (not peer input, which the codec types) into a session
  // reset with a reason instead of an uncaught exception that would kill the process.
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.onDecodeError(e);
    }
  }

  private onData(chunk: Buffer): void {
    let frames;
    try {
      frames = this.reader.push(chunk);
    } catch (e) {
      return this.onDecodeError(e);
    }
    for (const f of frames) {
      if (this.sock === undefined) return;
      let msg: BgpMessage;
      try {
        msg = decodeMessage(f, { as4: this.negotiated?.as4 ?? false });
      } catch (e) {
        return this.onDecodeError(e);
      }
      this.handle(msg);
    }
  }

  private onDecodeError(e: unknown): void {
    if (e instanceof BgpDecodeError) {
      this.notifyAndDrop(e.notification, `malformed message from peer (${e.code}): ${e.message}`);
    } else {
      this.notifyAndDrop({ code: ErrorCode.CEASE, subcode: 0, data: Buffer.alloc(0) }, `internal error: ${String(e)}`);
    }
  }

  private handle(msg: BgpMessage): void {
    switch (msg.kind) {
      case 'notification': {
        const n = msg.notification;
        return this.down(`peer sent notification ${n.code}/${n.subcode} (${describeNotification(n.code, n.subcode)})`);
      }
      case 'open':
        return this.state === 'opensent' ? this.onOpen(msg.open) : this.fsmError('open');
      case 'keepalive':
        if (this.state === 'openconfirm') return this.onEstablished();
        return this.state === 'established' ? this.restartHold() : this.fsmError('keepalive');
      case 'update':
        if (this.state !== 'established') return this.fsmError('update');
        this.rib.counters.updatesReceived++;
        return this.restartHold();
      case 'route-refresh':
        if (this.state !== 'established') return this.fsmError('route-refresh');
        this.rib.resendFamily(msg.routeRefresh.afi);
        this.scheduleFlush();
        return this.restartHold();
    }
  }

  private fsmError(what: string): void {
    const sub = { opensent: FsmSubcode.UNEXPECTED_IN_OPENSENT, openconfirm: FsmSubcode.UNEXPECTED_IN_OPENCONFIRM, established: FsmSubcode.UNEXPECTED_IN_ESTABLISHED };
    const subcode = sub[this.state as keyof typeof sub] ?? FsmSubcode.UNSPECIFIED;
    this.notifyAndDrop({ code: ErrorCode.FSM, subcode, data: Buffer.alloc(0) }, `unexpected ${what} in state ${this.state}`);
  }

  private onOpen(open: OpenMessage): void {
    const c = this.cfg;
    const v = checkOpen(open, { myASN: c.myASN, peerASN: c.peerASN, routerId: this.routerId, holdTime: c.holdTime, keepaliveTime: c.keepaliveTime });
    if (!v.ok) return this.notifyAndDrop(v.notification, `rejected peer OPEN: ${v.reason}`);
    this.negotiated = v.negotiated;
    this.write(KEEPALIVE);
    this.state = 'openconfirm';
    this.hold.start(v.negotiated.holdTime > 0 ? v.negotiated.holdTime * 1000 : c.openWaitMs);
  }

  private onEstablished(): void {
    const n = this.negotiated!;
    this.state = 'established';
    this.reason = 'established';
    this.backoff.reset();
    this.restartHold();
    this.keepalive.start(n.keepaliveMs);
    this.log.info({ holdTime: n.holdTime, as4: n.as4, ipv6: n.ipv6, local: this.localAddress }, 'session established');
    this.rib.resendAll();
    this.flush();
    if (n.ipv4) this.write(endOfRib(Afi.IPV4));
    if (n.ipv6) this.write(endOfRib(Afi.IPV6));
    this.emit({ up: true, reason: 'established' });
  }

  private restartHold(): void {
    const h = this.negotiated?.holdTime ?? 0;
    if (h > 0) this.hold.start(h * 1000);
    else this.hold.stop();
  }

  private onHoldExpired(): void {
    const what = this.state === 'opensent' ? 'no OPEN from peer in time' : 'hold timer expired';
    this.notifyAndDrop({ code: ErrorCode.HOLD_TIMER_EXPIRED, subcode: 0, data: Buffer.alloc(0) }, what);
  }

  private sendKeepalive(): void {
    if (this.state !== 'established') return;
    this.write(KEEPALIVE);
    this.keepalive.start(this.negotiated!.keepaliveMs);
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      if (this.state === 'established') this.guard(() => this.flush());
    });
  }

  private flush(): void {
    const n = this.negotiated!;
    const started = this.deps.clock.now();
    const out = this.rib.build({
      myASN: this.cfg.myASN, as4: n.as4, ipv4: n.ipv4, ipv6: n.ipv6,
      nextHopV4: isIPv4(this.localAddress) ? this.localAddress : this.cfg.nextHopV4,
      nextHopV6: isIPv4(this.localAddress) ? this.cfg.nextHopV6 ?? this.deps.localIPv6For?.(this.localAddress) : this.localAddress,
    });
    for (const s of out.skipped) this.log.warn({ prefix: s.prefix, reason: s.reason }, 'route not announced');
    if (out.messages.length === 0) return;
    this.write(Buffer.concat(out.messages));
    this.log.debug({ updates: out.messages.length, announced: out.announced, withdrawn: out.withdrawn, ms: this.deps.clock.now() - started }, 'routes sent');
  }

  private write(b: Buffer): void {
    this.rib.counters.bytesSent += b.length;
    this.sock?.write(b);
  }

  private notifyAndDrop(n: Notification, reason: string): void {
    const sock = this.sock;
    this.log.warn({ code: n.code, subcode: n.subcode, reason }, 'sending notification');
    this.down(reason, sock ? encodeNotification(n) : undefined);
  }

  private stopTimers(): void {
    this.hold.stop();
    this.keepalive.stop();
  }

  private down(reason: string, lastWords?: Buffer): void {
    if (this.state === 'stopped' || this.state === 'idle') return;
    const wasUp = this.state === 'established';
    const sock = this.sock;
    this.gen++;
    this.sock = undefined;
    this.negotiated = undefined;
    this.stopTimers();
    this.state = 'idle';
    this.reason = reason;
    if (sock) {
      if (lastWords) this.rib.counters.bytesSent += lastWords.length;
      void closeWith(sock, lastWords, this.deps.clock);
    }
    const delay = this.backoff.next();
    this.log.info({ reason, retryMs: delay }, 'session down');
    this.retry.start(delay);
    if (wasUp) this.emit({ up: false, reason });
  }

  // A listener's bug must not reset the session, so its errors are logged, not propagated.
  private emit(e: SessionEvent): void {
    for (const cb of this.listeners) {
      try {
        cb(e);
      } catch (err) {
        this.log.error({ err: String(err) }, 'session listener failed');
      }
    }
  }
}
