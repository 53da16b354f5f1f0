// Decode errors for the BGP codec. Every error carries the NOTIFICATION that RFC 4271 §6 says to
// send for it, so the session never has to guess (the same idea as GoBGP's MessageError).

/** Notification is the content of a NOTIFICATION message (RFC 4271 §4.5). */
export interface Notification {
  code: number;
  subcode: number;
  /** data is the error-specific payload (e.g. the bad length, the offending attribute). */
  data: Buffer;
}

/** BgpDecodeError is a malformed message: `code` is stable for callers, `notification` is what to send. */
export class BgpDecodeError extends Error {
  override readonly name = 'BgpDecodeError';
  readonly code: string;
  readonly notification: Notification;

  constructor(code: string, message: string, notification: { code: number; subcode: number; data?: Uint8Array }) {
    super(`bgp: ${message}`);
    this.code = code;
    this.notification = {
      code: notification.code,
      subcode: notification.subcode,
      data: Buffer.from(notification.data ?? Buffer.alloc(0)),
    };
  }
}

/** BgpEncodeError is a request the codec cannot express on the wire (e.g. a 300-byte community list in a 2-byte AS field). */
export class BgpEncodeError extends Error {
  override readonly name = 'BgpEncodeError';
  readonly code: string;

  constructor(code: string, message: string) {
    super(`bgp: ${message}`);
    this.code = code;
  }
}
