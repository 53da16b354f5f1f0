// NOTIFICATION (RFC 4271 §4.5), KEEPALIVE (§4.4) and ROUTE-REFRESH (RFC 2918 §3): the small messages.
import { MsgType } from './constants.js';
import type { Notification } from './errors.js';
import { writeHeader } from './header.js';

/** encodeNotification returns a NOTIFICATION carrying code, subcode and data. */
export function encodeNotification(n: { code: number; subcode: number; data?: Uint8Array }): Buffer {
  const data = n.data ?? Buffer.alloc(0);
  const body = Buffer.alloc(2 + data.length);
  body[0] = n.code;
  body[1] = n.subcode;
  body.set(data, 2);
  return writeHeader(MsgType.NOTIFICATION, body);
}

/** decodeNotification parses a NOTIFICATION body (the header guarantees at least 2 octets). */
export function decodeNotification(body: Buffer): Notification {
  return { code: body[0]!, subcode: body[1]!, data: Buffer.from(body.subarray(2)) };
}

/** KEEPALIVE is the one KEEPALIVE message: a bare header. */
export const KEEPALIVE: Buffer = writeHeader(MsgType.KEEPALIVE, Buffer.alloc(0));

/** RouteRefresh is a ROUTE-REFRESH request for one AFI/SAFI. */
export interface RouteRefresh {
  afi: number;
  safi: number;
}

/** encodeRouteRefresh returns a ROUTE-REFRESH message. */
export function encodeRouteRefresh(r: RouteRefresh): Buffer {
  const body = Buffer.from([0, 0, 0, r.safi]);
  body.writeUInt16BE(r.afi, 0);
  return writeHeader(MsgType.ROUTE_REFRESH, body);
}

/** decodeRouteRefresh parses a ROUTE-REFRESH body (the header guarantees 4 octets). */
export function decodeRouteRefresh(body: Buffer): RouteRefresh {
  return { afi: body.readUInt16BE(0), safi: body[3]! };
}
