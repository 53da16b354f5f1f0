// The types a BgpSession is configured and observed with (kept apart so session.ts stays the FSM).
import type { Logger } from '../../log.js';
import type { Backoff } from './backoff.js';
import type { Clock } from './clock.js';
import type { Dialer } from './dial.js';

/** SessionState is where the session is in the FSM. */
export type SessionState = 'idle' | 'connect' | 'opensent' | 'openconfirm' | 'established' | 'stopped';

/** SessionConfig is one peer's settings as the session needs them. */
export interface SessionConfig {
  name: string;
  peerAddress: string;
  peerPort: number;
  myASN: number;
  peerASN: number;
  holdTime: number;
  keepaliveTime: number;
  routerId?: string;
  sourceAddress?: string;
  password?: string;
  connectTimeoutMs: number;
  /** openWaitMs bounds OpenSent (RFC 4271 suggests 4 minutes). */
  openWaitMs: number;
  /** nextHopV6 for IPv6 routes on an IPv4 session (else derived from the interface, see nexthop.ts). */
  nextHopV6?: string;
  /** nextHopV4 for IPv4 routes on an IPv6 session. */
  nextHopV4?: string;
}

/** SessionDeps are the session's edges: time, sockets, logs, and how to find local addresses. */
export interface SessionDeps {
  clock: Clock;
  dial: Dialer;
  log: Logger;
  /** localIPv6For returns a global IPv6 address on the interface holding `ipv4`, if any. */
  localIPv6For?: (ipv4: string) => string | undefined;
  /** fallbackRouterId when neither config nor the connection gives an IPv4 address. */
  fallbackRouterId?: string;
  backoff?: Backoff;
}

/** SessionEvent is reported whenever the session goes up or down. */
export interface SessionEvent {
  up: boolean;
  reason: string;
}
