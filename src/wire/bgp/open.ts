// OPEN message (RFC 4271 §4.2) with capabilities in optional parameter type 2 (RFC 5492):
// multiprotocol (RFC 4760), route refresh (RFC 2918) and 4-octet AS numbers (RFC 6793).
import { AS_TRANS, BGP_VERSION, CapCode, ErrorCode, MsgType, OpenSubcode } from './constants.js';
import { BgpDecodeError, BgpEncodeError } from './errors.js';
import { writeHeader } from './header.js';
import { formatAddress, parseAddress } from './prefix.js';

/** Capability is one advertised capability; unknown ones are kept raw so nothing is lost. */
export type Capability =
  | { kind: 'multiprotocol'; afi: number; safi: number }
  | { kind: 'route-refresh' }
  | { kind: 'four-octet-as'; asn: number }
  | { kind: 'unknown'; code: number; value: Buffer };

/** OpenMessage is a decoded or to-be-encoded OPEN. */
export interface OpenMessage {
  version: number;
  /** myAS is the 2-octet field as sent (AS_TRANS when the real ASN needs 4 octets). */
  myAS: number;
  holdTime: number;
  routerId: string;
  capabilities: Capability[];
}

/** buildOpen fills an OPEN for `asn`: AS_TRANS in the 2-octet field above 65535, the real ASN in capability 65. */
export function buildOpen(opts: { asn: number; holdTime: number; routerId: string; families: { afi: number; safi: number }[] }): OpenMessage {
  return {
    version: BGP_VERSION,
    myAS: opts.asn > 0xffff ? AS_TRANS : opts.asn,
    holdTime: opts.holdTime,
    routerId: opts.routerId,
    capabilities: [
      ...opts.families.map((f) => ({ kind: 'multiprotocol' as const, afi: f.afi, safi: f.safi })),
      { kind: 'route-refresh' },
      { kind: 'four-octet-as', asn: opts.asn },
    ],
  };
}

function encodeCapability(c: Capability): Buffer {
  switch (c.kind) {
    case 'multiprotocol': {
      const b = Buffer.from([CapCode.MULTIPROTOCOL, 4, 0, 0, 0, c.safi]);
      b.writeUInt16BE(c.afi, 2);
      return b;
    }
    case 'route-refresh':
      return Buffer.from([CapCode.ROUTE_REFRESH, 0]);
    case 'four-octet-as': {
      const b = Buffer.from([CapCode.FOUR_OCTET_AS, 4, 0, 0, 0, 0]);
      b.writeUInt32BE(c.asn, 2);
      return b;
    }
    case 'unknown':
      return Buffer.concat([Buffer.from([c.code, c.value.length]), c.value]);
  }
}

/** encodeOpen returns the whole OPEN message, all capabilities in one optional parameter. */
export function encodeOpen(m: OpenMessage): Buffer {
  const id = parseAddress(m.routerId);
  if (id.length !== 4) throw new BgpEncodeError('bgp.open.router-id', `router id ${m.routerId} is not an IPv4 address`);
  const caps = Buffer.concat(m.capabilities.map(encodeCapability));
  if (caps.length > 253) throw new BgpEncodeError('bgp.open.too-many-capabilities', `capabilities take ${caps.length} octets, more than 253`);
  const params = caps.length > 0 ? Buffer.concat([Buffer.from([2, caps.length]), caps]) : Buffer.alloc(0);
  const body = Buffer.alloc(10 + params.length);
  body[0] = m.version;
  body.writeUInt16BE(m.myAS, 1);
  body.writeUInt16BE(m.holdTime, 3);
  id.copy(body, 5);
  body[9] = params.length;
  params.copy(body, 10);
  return writeHeader(MsgType.OPEN, body);
}

function openError(code: string, msg: string, subcode: number, data?: Uint8Array): BgpDecodeError {
  return new BgpDecodeError(code, `open: ${msg}`, { code: ErrorCode.OPEN_MESSAGE, subcode, data });
}

/**
 * decodeOpen parses an OPEN body. It checks what the message alone can show (§6.2): version 4
 * (data: the version we support), hold time 0 or >= 3, a non-zero identifier, well-formed
 * parameters. Peer AS and identifier collisions need session context and are checked there.
 */
export function decodeOpen(body: Buffer): OpenMessage {
  const version = body[0]!;
  if (version !== BGP_VERSION) {
    throw openError('bgp.open.bad-version', `version ${version} is not 4`, OpenSubcode.UNSUPPORTED_VERSION_NUMBER, Buffer.from([0, BGP_VERSION]));
  }
  const myAS = body.readUInt16BE(1);
  const holdTime = body.readUInt16BE(3);
  if (holdTime === 1 || holdTime === 2) {
    throw openError('bgp.open.bad-hold-time', `hold time ${holdTime} is below 3`, OpenSubcode.UNACCEPTABLE_HOLD_TIME);
  }
  const idBytes = body.subarray(5, 9);
  if (idBytes.readUInt32BE(0) === 0) {
    throw openError('bgp.open.bad-identifier', 'bgp identifier 0.0.0.0', OpenSubcode.BAD_BGP_IDENTIFIER, idBytes);
  }
  const paramsLen = body[9]!;
  if (10 + paramsLen !== body.length) {
    throw openError('bgp.open.bad-params-length', `optional parameters length ${paramsLen} does not match the message (${body.length - 10} octets)`, OpenSubcode.UNSPECIFIC);
  }
  const capabilities = decodeParams(body.subarray(10));
  return { version, myAS, holdTime, routerId: formatAddress(idBytes), capabilities };
}

function decodeParams(buf: Buffer): Capability[] {
  const caps: Capability[] = [];
  let off = 0;
  while (off < buf.length) {
    if (off + 2 > buf.length || off + 2 + buf[off + 1]! > buf.length) {
      throw openError('bgp.open.truncated-param', `optional parameter at offset ${off} overruns the message`, OpenSubcode.UNSPECIFIC);
    }
    const type = buf[off]!;
    const value = buf.subarray(off + 2, off + 2 + buf[off + 1]!);
    if (type !== 2) {
      throw openError('bgp.open.unsupported-param', `optional parameter type ${type} is not capabilities`, OpenSubcode.UNSUPPORTED_OPTIONAL_PARAMETER, buf.subarray(off, off + 2 + value.length));
    }
    caps.push(...decodeCapabilities(value));
    off += 2 + value.length;
  }
  return caps;
}

function decodeCapabilities(buf: Buffer): Capability[] {
  const caps: Capability[] = [];
  let off = 0;
  while (off < buf.length) {
    if (off + 2 > buf.length || off + 2 + buf[off + 1]! > buf.length) {
      throw openError('bgp.open.truncated-capability', `capability at offset ${off} overruns its parameter`, OpenSubcode.UNSPECIFIC);
    }
    const code = buf[off]!;
    const value = Buffer.from(buf.subarray(off + 2, off + 2 + buf[off + 1]!));
    caps.push(decodeCapability(code, value));
    off += 2 + value.length;
  }
  return caps;
}

function decodeCapability(code: number, value: Buffer): Capability {
  const wantLen: Record<number, number> = { [CapCode.MULTIPROTOCOL]: 4, [CapCode.ROUTE_REFRESH]: 0, [CapCode.FOUR_OCTET_AS]: 4 };
  const want = wantLen[code];
  if (want === undefined) return { kind: 'unknown', code, value };
  if (value.length !== want) {
    throw openError('bgp.open.bad-capability-length', `capability ${code} has length ${value.length}, want ${want}`, OpenSubcode.UNSPECIFIC);
  }
  if (code === CapCode.MULTIPROTOCOL) return { kind: 'multiprotocol', afi: value.readUInt16BE(0), safi: value[3]! };
  if (code === CapCode.FOUR_OCTET_AS) return { kind: 'four-octet-as', asn: value.readUInt32BE(0) };
  return { kind: 'route-refresh' };
}

/** peerASN is the peer's real ASN: the 4-octet capability when present, else the 2-octet field (RFC 6793 §4.1). */
export function peerASN(m: OpenMessage): number {
  const c = m.capabilities.find((x) => x.kind === 'four-octet-as');
  return c?.kind === 'four-octet-as' ? c.asn : m.myAS;
}

/** supportsFourOctetAS tells whether the peer sent capability 65. */
export function supportsFourOctetAS(m: OpenMessage): boolean {
  return m.capabilities.some((c) => c.kind === 'four-octet-as');
}
