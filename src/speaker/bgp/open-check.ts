// checkOpen: is the peer's OPEN acceptable for this session, and what did we negotiate? Pure, so
// every rejection (and its NOTIFICATION) is tested byte for byte without a socket.
import {
  Afi, CapCode, ErrorCode, OpenSubcode, Safi, peerASN, supportsFourOctetAS, type Notification, type OpenMessage,
} from '../../wire/bgp/index.js';

/** Negotiated is what both OPENs together decide (RFC 4271 §4.2, RFC 4760 §8, RFC 6793). */
export interface Negotiated {
  /** holdTime in seconds: the smaller of ours and theirs, 0 = no hold timer. */
  holdTime: number;
  /** keepaliveMs between our KEEPALIVEs (0 = none). */
  keepaliveMs: number;
  as4: boolean;
  ipv4: boolean;
  ipv6: boolean;
  peerRouterId: string;
  routeRefresh: boolean;
}

/** OpenVerdict is either what we negotiated or why we refuse, with the NOTIFICATION to send. */
export type OpenVerdict =
  | { ok: true; negotiated: Negotiated }
  | { ok: false; reason: string; notification: Notification };

/** OpenExpectations is what our config says about the session. */
export interface OpenExpectations {
  myASN: number;
  peerASN: number;
  routerId: string;
  holdTime: number;
  /** keepaliveTime in seconds when configured explicitly (0 = hold/3). */
  keepaliveTime: number;
}

function refuse(reason: string, subcode: number, data: Buffer = Buffer.alloc(0)): OpenVerdict {
  return { ok: false, reason, notification: { code: ErrorCode.OPEN_MESSAGE, subcode, data } };
}

/** checkOpen validates the peer's ASN (4-octet capability first), identifier and hold time, and negotiates the rest. */
export function checkOpen(open: OpenMessage, want: OpenExpectations): OpenVerdict {
  const as = peerASN(open);
  if (as !== want.peerASN) {
    const data = Buffer.alloc(2);
    data.writeUInt16BE(open.myAS, 0);
    return refuse(`peer AS ${as} is not the configured ${want.peerASN}`, OpenSubcode.BAD_PEER_AS, data);
  }
  const as4 = supportsFourOctetAS(open);
  if (!as4 && want.myASN > 0xffff) {
    const data = Buffer.from([CapCode.FOUR_OCTET_AS, 4, 0, 0, 0, 0]);
    data.writeUInt32BE(want.myASN, 2);
    return refuse(`our AS ${want.myASN} needs the 4-octet AS capability the peer did not send`, OpenSubcode.UNSUPPORTED_CAPABILITY, data);
  }
  if (want.myASN === want.peerASN && open.routerId === want.routerId) {
    return refuse(`iBGP peer uses our router id ${open.routerId}`, OpenSubcode.BAD_BGP_IDENTIFIER);
  }
  const holdTime = Math.min(want.holdTime, open.holdTime);
  const third = Math.floor((holdTime * 1000) / 3);
  const keepaliveMs = holdTime === 0 ? 0 : want.keepaliveTime > 0 ? Math.min(want.keepaliveTime * 1000, third) : third;
  const mp = open.capabilities.filter((c) => c.kind === 'multiprotocol');
  const has = (afi: number) => mp.some((c) => c.kind === 'multiprotocol' && c.afi === afi && c.safi === Safi.UNICAST);
  return {
    ok: true,
    negotiated: {
      holdTime,
      keepaliveMs,
      as4,
      // Without any multiprotocol capability IPv4 unicast is implied (RFC 4760 §8).
      ipv4: mp.length === 0 || has(Afi.IPV4),
      ipv6: has(Afi.IPV6),
      peerRouterId: open.routerId,
      routeRefresh: open.capabilities.some((c) => c.kind === 'route-refresh'),
    },
  };
}
