// Closing a BGP connection politely: last words (a NOTIFICATION), then FIN, bounded by a timer.
import type { Socket } from 'node:net';
import type { Clock } from './clock.js';

/** closeWith ends a socket after writing `last` (a NOTIFICATION), and destroys it if the peer does not close within 1 s. */
export function closeWith(sock: Socket, last: Buffer | undefined, clock: Clock): Promise<void> {
  return new Promise((resolve) => {
    sock.removeAllListeners('data');
    sock.on('error', () => { /* the peer may reset after our NOTIFICATION */ });
    if (sock.destroyed) return resolve();
    const t = clock.setTimeout(() => sock.destroy(), 1_000);
    sock.once('close', () => {
      clock.clearTimeout(t);
      resolve();
    });
    // end() sends our last words and then FIN; the peer's FIN (or the timer) completes the close.
    sock.resume();
    if (last) sock.end(last);
    else sock.end();
  });
}
