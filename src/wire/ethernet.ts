// Ethernet II framing (IEEE 802.3 with an EtherType, RFC 894) and the decode error shared by every
// layer-2 codec in src/wire. Pure: bytes in, values out; no sockets.

/** WireErrorCode tells a caller why bytes were refused: short input, a field we cannot accept. */
export type WireErrorCode = 'wire.truncated' | 'wire.invalid' | 'wire.unsupported';

/** WireError is a typed decode failure; the message starts with the codec name and names the field. */
export class WireError extends Error {
  override readonly name = 'WireError';
  /** code is stable: responders count every WireError as a malformed frame. */
  readonly code: WireErrorCode;
  /** field names the offending header field, e.g. `arp.hlen`. */
  readonly field: string;

  constructor(code: WireErrorCode, field: string, message: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

/** EtherType values this project speaks (IEEE registry). */
export const EtherType = { IPv4: 0x0800, ARP: 0x0806, VLAN: 0x8100, IPv6: 0x86dd } as const;

/** ETHERNET_HEADER_LEN is destination + source + EtherType. */
export const ETHERNET_HEADER_LEN = 14;
/** ETHERNET_MIN_FRAME is the shortest frame on the wire without its FCS (64 - 4). */
export const ETHERNET_MIN_FRAME = 60;

/** BROADCAST_MAC is ff:ff:ff:ff:ff:ff. */
export const BROADCAST_MAC: Buffer = Buffer.alloc(6, 0xff);

/** EthernetFrame is one decoded Ethernet II frame; `payload` is a view into the input. */
export interface EthernetFrame {
  dst: Buffer;
  src: Buffer;
  etherType: number;
  payload: Buffer;
}

/** decodeEthernet splits a frame into its header fields and payload (trailing padding stays in payload). */
export function decodeEthernet(buf: Buffer): EthernetFrame {
  if (buf.length < ETHERNET_HEADER_LEN) {
    throw new WireError('wire.truncated', 'ethernet.header', `ethernet: frame of ${buf.length} bytes is shorter than the 14-byte header`);
  }
  return {
    dst: buf.subarray(0, 6),
    src: buf.subarray(6, 12),
    etherType: buf.readUInt16BE(12),
    payload: buf.subarray(ETHERNET_HEADER_LEN),
  };
}

/** encodeEthernet builds a frame, zero-padding it to the 60-byte minimum unless `pad` is false. */
export function encodeEthernet(frame: EthernetFrame, pad = true): Buffer {
  checkMAC(frame.dst, 'ethernet.dst');
  checkMAC(frame.src, 'ethernet.src');
  const len = Math.max(ETHERNET_HEADER_LEN + frame.payload.length, pad ? ETHERNET_MIN_FRAME : 0);
  const out = Buffer.alloc(len);
  frame.dst.copy(out, 0);
  frame.src.copy(out, 6);
  out.writeUInt16BE(frame.etherType, 12);
  frame.payload.copy(out, ETHERNET_HEADER_LEN);
  return out;
}

/** checkMAC throws unless `mac` is exactly six bytes. */
export function checkMAC(mac: Uint8Array, field: string): void {
  if (mac.length !== 6) throw new WireError('wire.invalid', field, `ethernet: ${field} has ${mac.length} bytes, want 6`);
}

const macText = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** parseMAC reads `aa:bb:cc:dd:ee:ff` (either case); it throws a WireError naming the text otherwise. */
export function parseMAC(text: string): Buffer {
  if (!macText.test(text)) throw new WireError('wire.invalid', 'mac', `ethernet: "${text}" is not a MAC address`);
  return Buffer.from(text.split(':').map((h) => parseInt(h, 16)));
}

/** formatMAC prints six bytes as lower-case `aa:bb:cc:dd:ee:ff` (the form `ip link` prints). */
export function formatMAC(mac: Uint8Array): string {
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** isBroadcastMAC tells whether a MAC is ff:ff:ff:ff:ff:ff. */
export function isBroadcastMAC(mac: Uint8Array): boolean {
  return mac.length === 6 && mac.every((b) => b === 0xff);
}

/** isMulticastMAC tells whether the group bit (least significant bit of the first octet) is set. */
export function isMulticastMAC(mac: Uint8Array): boolean {
  return mac.length === 6 && (mac[0]! & 1) === 1;
}
