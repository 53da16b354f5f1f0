// A minimal MRT TABLE_DUMP_V2 writer (RFC 6396 §4.3) so the benchmark can load 10,000 routes into
// gobgpd with one `gobgp mrt inject global FILE` before its session comes up.
import { encodeAttributes, parsePrefix, encodedPrefixLen, writePrefix } from '../../src/wire/bgp/index.js';

function mrtRecord(subtype: number, body: Buffer): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt32BE(Math.floor(Date.now() / 1000), 0);
  h.writeUInt16BE(13, 4); // TABLE_DUMP_V2
  h.writeUInt16BE(subtype, 6);
  h.writeUInt32BE(body.length, 8);
  return Buffer.concat([h, body]);
}

/** mrtTableDump returns a TABLE_DUMP_V2 file holding `prefixes` (IPv4) learnt from one peer with ORIGIN IGP, an empty AS_PATH and `nextHop`. */
export function mrtTableDump(prefixes: string[], peer: { routerId: string; address: string; asn: number }, nextHop: string): Buffer {
  const ip = (s: string) => Buffer.from(s.split('.').map(Number));
  const peerIndex = Buffer.concat([
    ip(peer.routerId), Buffer.from([0, 0]), Buffer.from([0, 1]), // collector id, empty view name, one peer
    Buffer.from([0x02]), ip(peer.routerId), ip(peer.address), Buffer.alloc(4), // IPv4 peer with 4-octet AS
  ]);
  peerIndex.writeUInt32BE(peer.asn, peerIndex.length - 4);
  const attrs = encodeAttributes({ origin: 0, asPath: [], nextHop }, { as4: true });
  const records = [mrtRecord(1, peerIndex)];
  prefixes.forEach((text, seq) => {
    const p = parsePrefix(text);
    const body = Buffer.alloc(4 + encodedPrefixLen(p) + 2 + 8 + attrs.length);
    body.writeUInt32BE(seq, 0);
    let off = writePrefix(body, 4, p);
    body.writeUInt16BE(1, off); // one RIB entry
    body.writeUInt16BE(0, off + 2); // peer index 0
    body.writeUInt32BE(Math.floor(Date.now() / 1000), off + 4);
    body.writeUInt16BE(attrs.length, off + 8);
    attrs.copy(body, off + 10);
    off += 10 + attrs.length;
    records.push(mrtRecord(2, body));
  });
  return Buffer.concat(records);
}
