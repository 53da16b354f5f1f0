// The BGP message header and stream framing (RFC 4271 §4.1, error handling §6.1).
import { HEADER_LEN, MAX_MESSAGE_LEN, MsgType, ErrorCode, HeaderSubcode } from './constants.js';
import { BgpDecodeError } from './errors.js';

/** Frame is one whole message cut from the stream: its type and its body (after the header). */
export interface Frame {
  type: number;
  body: Buffer;
  /** raw is the whole message including the header. */
  raw: Buffer;
}

const minLen: Record<number, number> = {
  [MsgType.OPEN]: 29,
  [MsgType.UPDATE]: 23,
  [MsgType.NOTIFICATION]: 21,
  [MsgType.KEEPALIVE]: 19,
  [MsgType.ROUTE_REFRESH]: 23,
};
// KEEPALIVE and ROUTE-REFRESH have a fixed size; a longer one is as wrong as a shorter one.
const exactLen: Record<number, number> = { [MsgType.KEEPALIVE]: 19, [MsgType.ROUTE_REFRESH]: 23 };

/** writeHeader returns a message: marker, total length and type, then `body`. */
export function writeHeader(type: number, body: Uint8Array): Buffer {
  const out = Buffer.alloc(HEADER_LEN + body.length);
  out.fill(0xff, 0, 16);
  out.writeUInt16BE(out.length, 16);
  out[18] = type;
  out.set(body, HEADER_LEN);
  return out;
}

/**
 * checkHeader validates the 19 header octets and returns the message length. Errors carry the
 * NOTIFICATION of §6.1: a bad marker, a length outside 19..4096 or wrong for the type (data: the
 * length), an unknown type (data: the type).
 */
export function checkHeader(h: Buffer): { type: number; length: number } {
  for (let i = 0; i < 16; i++) {
    if (h[i] !== 0xff) {
      throw new BgpDecodeError('bgp.header.bad-marker', 'header marker is not all ones', {
        code: ErrorCode.MESSAGE_HEADER, subcode: HeaderSubcode.CONNECTION_NOT_SYNCHRONIZED,
      });
    }
  }
  const length = h.readUInt16BE(16);
  const type = h[18]!;
  const lenData = h.subarray(16, 18);
  const min = minLen[type];
  if (length < HEADER_LEN || length > MAX_MESSAGE_LEN) {
    throw new BgpDecodeError('bgp.header.bad-length', `message length ${length} is outside 19..4096`, {
      code: ErrorCode.MESSAGE_HEADER, subcode: HeaderSubcode.BAD_MESSAGE_LENGTH, data: lenData,
    });
  }
  if (min === undefined) {
    throw new BgpDecodeError('bgp.header.bad-type', `message type ${type} is unknown`, {
      code: ErrorCode.MESSAGE_HEADER, subcode: HeaderSubcode.BAD_MESSAGE_TYPE, data: Buffer.from([type]),
    });
  }
  const exact = exactLen[type];
  if (length < min || (exact !== undefined && length !== exact)) {
    throw new BgpDecodeError('bgp.header.bad-length', `message length ${length} is wrong for type ${type}`, {
      code: ErrorCode.MESSAGE_HEADER, subcode: HeaderSubcode.BAD_MESSAGE_LENGTH, data: lenData,
    });
  }
  return { type, length };
}

/**
 * FrameReader cuts a TCP byte stream into messages. push() takes any chunk and returns the whole
 * messages completed so far; a header error throws BgpDecodeError and the reader must be dropped.
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  /** push appends `chunk` and returns every complete frame now available, in order. */
  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    let off = 0;
    while (this.pending.length - off >= HEADER_LEN) {
      const { type, length } = checkHeader(this.pending.subarray(off, off + HEADER_LEN));
      if (this.pending.length - off < length) break;
      const raw = this.pending.subarray(off, off + length);
      frames.push({ type, body: raw.subarray(HEADER_LEN), raw });
      off += length;
    }
    this.pending = this.pending.subarray(off);
    return frames;
  }

  /** buffered is how many bytes of an incomplete message are waiting. */
  buffered(): number {
    return this.pending.length;
  }
}
