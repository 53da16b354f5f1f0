// dialBgp: the real Dialer for BGP sessions. Plain peers use net.connect; peers with a password get a
// libc socket keyed with TCP_MD5SIG (see tcp-md5.ts).
import net from 'node:net';
import type { DialOptions } from '../speaker/bgp/dial.js';
import { connectMd5 } from './tcp-md5.js';

/** dialBgp connects to a BGP peer within o.timeoutMs, binding o.localAddress when given. */
export function dialBgp(o: DialOptions): Promise<net.Socket> {
  if (o.password) return connectMd5({ host: o.host, port: o.port, key: o.password, localAddress: o.localAddress, timeoutMs: o.timeoutMs });
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: o.host, port: o.port, localAddress: o.localAddress });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`connect ${o.host}:${o.port} timed out after ${o.timeoutMs} ms`));
    }, o.timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      sock.destroy();
      reject(e);
    });
  });
}
