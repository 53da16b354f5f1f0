// Hand-built models for the migrate unit tests (no parser needed).
import { parseCIDR, peerName, type BGPAdvertisement, type Config, type L2Advertisement, type Peer, type Pool } from '../../../src/model/index.js';

export function pool(name: string, addresses: string[], over: Partial<Pool> = {}): Pool {
  return {
    name,
    addresses,
    cidrs: addresses.map((a) => parseCIDR(a)!),
    autoAssign: true,
    avoidBuggyIPs: false,
    labels: {},
    bgpAdvertisements: [],
    l2Advertisements: [l2()],
    ...over,
  };
}

export function l2(over: Partial<L2Advertisement> = {}): L2Advertisement {
  return { nodeSelectors: [], interfaces: [], serviceSelectors: [], ...over };
}

export function bgpAd(over: Partial<BGPAdvertisement> = {}): BGPAdvertisement {
  return { aggregationLength: 32, aggregationLengthV6: 128, localPref: 0, communities: [], nodeSelectors: [], peers: [], serviceSelectors: [], ...over };
}

export function peer(over: Partial<Peer> = {}): Peer {
  const base = { myASN: 64500, peerASN: 64501, peerAddress: '192.0.2.1', peerPort: 179 };
  const p: Peer = { name: '', ...base, holdTime: 90, keepaliveTime: 30, keepaliveExplicit: false, ebgpMultiHop: false, nodeSelectors: [], ...over };
  if (!over.name) p.name = peerName(p);
  return p;
}

export function config(over: Partial<Config> = {}): Config {
  return { pools: [], peers: [], bfdProfiles: [], communities: {}, ...over };
}
