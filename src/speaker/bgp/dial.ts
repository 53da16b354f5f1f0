// The socket seam of a BGP session: a session asks a Dialer for a connected TCP socket. The real
// one lives in src/sys/bgp-dial.ts (plain net.connect, or a libc socket with TCP_MD5SIG); tests may
// pass their own.
import type { Socket } from 'node:net';

/** DialOptions says where and how to connect. */
export interface DialOptions {
  host: string;
  port: number;
  /** localAddress binds the source address (Peer.sourceAddress). */
  localAddress?: string;
  /** password enables TCP MD5 (RFC 2385) with this key. */
  password?: string;
  timeoutMs: number;
}

/** Dialer opens a connected socket or rejects (refused, timed out, bad source address). */
export type Dialer = (o: DialOptions) => Promise<Socket>;
