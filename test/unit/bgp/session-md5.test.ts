// TCP MD5 (RFC 2385) plumbing: the struct layout the kernel expects, and a keyed connection over
// loopback (a keyed listener accepts the right key; a wrong key is dropped and times out).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { connectMd5, md5sig, setMd5, sockaddr } from '../../../src/sys/tcp-md5.js';

test('sockaddr_in is family 2 (host order), port and address in network order, 16 octets', () => {
  assert.is(sockaddr('192.0.2.1', 179).toString('hex'), '0200' + '00b3' + 'c0000201' + '0000000000000000');
});

test('sockaddr_in6 is family 10, port, flow info, address, scope id: 28 octets', () => {
  assert.is(sockaddr('2001:db8::1', 179).toString('hex'), '0a00' + '00b3' + '00000000' + '20010db8000000000000000000000001' + '00000000');
});

test('tcp_md5sig puts the peer at 0, the key length (u16) at 130 and the key at 136, 216 octets in all', () => {
  const b = md5sig('192.0.2.1', 's3cret');
  assert.is(b.length, 216);
  assert.is(b.subarray(0, 8).toString('hex'), '02000000c0000201');
  assert.is(b.readUInt16LE(130), 6);
  assert.is(b.subarray(136, 142).toString(), 's3cret');
});

test('keys of 0 or more than 80 octets are refused with a typed error', () => {
  for (const key of ['', 'x'.repeat(81)]) {
    try {
      md5sig('192.0.2.1', key);
      assert.unreachable();
    } catch (e) {
      assert.is((e as { code?: string }).code, 'tcp-md5.bad-key');
    }
  }
});

async function keyedServer(key: string): Promise<{ server: net.Server; port: number; accepted: () => number }> {
  let n = 0;
  const server = net.createServer((s) => {
    n++;
    s.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  setMd5((server as unknown as { _handle: { fd: number } })._handle.fd, '127.0.0.1', key);
  return { server, port: (server.address() as net.AddressInfo).port, accepted: () => n };
}

const linux = process.platform === 'linux';
(linux ? test : test.skip)('a keyed client with the right key connects to a keyed listener', async () => {
  const s = await keyedServer('lbbgp-key');
  try {
    const sock = await connectMd5({ host: '127.0.0.1', port: s.port, key: 'lbbgp-key', timeoutMs: 2000 });
    assert.is(sock.remotePort, s.port);
    sock.destroy();
  } finally {
    s.server.close();
  }
});

(linux ? test : test.skip)('a wrong key never connects: the SYNs are dropped and the connect times out', async () => {
  const s = await keyedServer('lbbgp-key');
  try {
    await connectMd5({ host: '127.0.0.1', port: s.port, key: 'wrong', timeoutMs: 700 });
    assert.unreachable('connected');
  } catch (e) {
    assert.is((e as { code?: string }).code, 'tcp-md5.timeout');
    assert.is(s.accepted(), 0);
  } finally {
    s.server.close();
  }
});

(linux ? test : test.skip)('binding a source address that is not on this host fails with the errno text', async () => {
  try {
    await connectMd5({ host: '127.0.0.1', port: 9, key: 'k', localAddress: '192.0.2.123', timeoutMs: 500 });
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, 'tcp-md5.bind');
    assert.match(String(e), /bind 192\.0\.2\.123: Cannot assign requested address/);
  }
});

if (!linux) console.log('tcp-md5 connection tests skipped: TCP_MD5SIG is Linux only');
test.run();
