// Addresses and NLRI prefixes as they appear on the wire (RFC 4271 §4.3: a length octet followed by
// the fewest octets that hold that many bits). Text <-> bytes uses ipaddr.js, the same library the
// model prints addresses with, so our strings match the model's canonical form.
import ipaddr from 'ipaddr.js';
import { Afi } from './constants.js';
import { BgpDecodeError, BgpEncodeError } from './errors.js';

/** Prefix is one NLRI entry: family, length and the full-width network address (host bits zero). */
export interface Prefix {
  afi: number;
  len: number;
  addr: Buffer;
}

// parseIPv4 is the hot path when packing thousands of /32s: no regex, no allocation beyond the result.
function parseIPv4(text: string): Buffer | undefined {
  const out = Buffer.allocUnsafe(4);
  let part = 0;
  let val = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 3) return undefined;
      out[part++] = val;
      val = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && val === 0) return undefined; // leading zero: ambiguous (octal in some parsers)
      val = val * 10 + (c - 48);
      if (++digits > 3 || val > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return part === 4 ? out : undefined;
}

/** parseAddress turns an IPv4 or IPv6 literal into 4 or 16 bytes; throws BgpEncodeError otherwise. */
export function parseAddress(text: string): Buffer {
  const bytes = text.includes(':') ? (ipaddr.IPv6.isValid(text) ? Buffer.from(ipaddr.IPv6.parse(text).toByteArray()) : undefined) : parseIPv4(text);
  if (!bytes) throw new BgpEncodeError('bgp.address.invalid', `address ${JSON.stringify(text)} is not an IP address`);
  return bytes;
}

/** formatAddress prints 4 or 16 bytes as a canonical address (dotted quad or RFC 5952). */
export function formatAddress(bytes: Uint8Array): string {
  return ipaddr.fromByteArray([...bytes]).toString();
}

/** parsePrefix parses `addr/len`, masking host bits; throws BgpEncodeError on anything else. */
export function parsePrefix(text: string): Prefix {
  const slash = text.indexOf('/');
  if (slash < 0) throw new BgpEncodeError('bgp.prefix.invalid', `prefix ${JSON.stringify(text)} has no length`);
  const addr = parseAddress(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  const len = Number(lenText);
  if (!/^\d{1,3}$/.test(lenText) || len > addr.length * 8) {
    throw new BgpEncodeError('bgp.prefix.invalid', `prefix ${JSON.stringify(text)} has an invalid length`);
  }
  return { afi: addr.length === 4 ? Afi.IPV4 : Afi.IPV6, len, addr: maskBytes(addr, len) };
}

/** formatPrefix prints a Prefix as canonical `addr/len`. */
export function formatPrefix(p: Prefix): string {
  return `${formatAddress(p.addr)}/${p.len}`;
}

/** encodedPrefixLen is the wire size of a prefix: one length octet plus ceil(len/8) octets. */
export function encodedPrefixLen(p: Prefix): number {
  return 1 + Math.ceil(p.len / 8);
}

/** writePrefix writes a prefix at `off` and returns the offset after it. */
export function writePrefix(buf: Buffer, off: number, p: Prefix): number {
  buf[off] = p.len;
  const n = Math.ceil(p.len / 8);
  p.addr.copy(buf, off + 1, 0, n);
  return off + 1 + n;
}

/**
 * decodePrefixes reads a run of prefixes of one family. A length beyond the family's width or past
 * the end of the field is an Invalid Network Field (RFC 4271 §6.3) or, inside MP_(UN)REACH, an
 * Optional Attribute Error; the caller passes which subcode applies.
 */
export function decodePrefixes(buf: Buffer, afi: number, subcode: number, what: string): Prefix[] {
  const width = afi === Afi.IPV4 ? 4 : 16;
  const out: Prefix[] = [];
  let off = 0;
  while (off < buf.length) {
    const len = buf[off]!;
    const n = Math.ceil(len / 8);
    if (len > width * 8 || off + 1 + n > buf.length) {
      throw new BgpDecodeError('bgp.update.bad-prefix', `${what}: prefix length ${len} at offset ${off} does not fit`, {
        code: 3, subcode,
      });
    }
    const addr = Buffer.alloc(width);
    buf.copy(addr, 0, off + 1, off + 1 + n);
    out.push({ afi, len, addr: maskBytes(addr, len) });
    off += 1 + n;
  }
  return out;
}

function maskBytes(addr: Buffer, len: number): Buffer {
  const out = Buffer.from(addr);
  for (let i = 0; i < out.length; i++) {
    const bits = Math.max(0, Math.min(8, len - i * 8));
    out[i] = out[i]! & ((0xff << (8 - bits)) & 0xff);
  }
  return out;
}
