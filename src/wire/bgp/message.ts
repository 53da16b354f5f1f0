// decodeMessage: one framed message to a typed value, dispatching on the header type.
import { MsgType } from './constants.js';
import type { Notification } from './errors.js';
import type { Frame } from './header.js';
import type { CodecOptions } from './attributes.js';
import { decodeNotification, decodeRouteRefresh, type RouteRefresh } from './notification.js';
import { decodeOpen, type OpenMessage } from './open.js';
import { decodeUpdate, type UpdateMessage } from './update.js';

/** BgpMessage is any decoded message, tagged by kind. */
export type BgpMessage =
  | { kind: 'open'; open: OpenMessage }
  | { kind: 'update'; update: UpdateMessage }
  | { kind: 'notification'; notification: Notification }
  | { kind: 'keepalive' }
  | { kind: 'route-refresh'; routeRefresh: RouteRefresh };

/** decodeMessage decodes a frame cut by FrameReader; throws BgpDecodeError carrying the NOTIFICATION to send. */
export function decodeMessage(f: Frame, opts: CodecOptions): BgpMessage {
  switch (f.type) {
    case MsgType.OPEN:
      return { kind: 'open', open: decodeOpen(f.body) };
    case MsgType.UPDATE:
      return { kind: 'update', update: decodeUpdate(f.body, opts) };
    case MsgType.NOTIFICATION:
      return { kind: 'notification', notification: decodeNotification(f.body) };
    case MsgType.KEEPALIVE:
      return { kind: 'keepalive' };
    default:
      return { kind: 'route-refresh', routeRefresh: decodeRouteRefresh(f.body) };
  }
}
