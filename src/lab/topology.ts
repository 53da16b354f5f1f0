// The lab's LAN, as data: who is on the bridge, with which address and MAC. Pure. Addresses are
// from the documentation ranges (RFC 5737) and live only inside the lab's own namespaces.

/** Member is one namespace on the lab LAN. */
export interface Member {
  /** role: client, node (runs a speaker) or router (runs BIRD). */
  role: 'client' | 'node' | 'router';
  /** name is the node name for nodes (node-a), else the role. */
  name: string;
  /** short is the namespace suffix (≤ 4 chars, keeps interface names short). */
  short: string;
  ip: string;
  mac: string;
}

/** LAN_PREFIX is the lab subnet's prefix length. */
export const LAN_PREFIX = 24;

/** ROUTER_ASN is the lab router's AS (fixtures/demo/config.yaml: peer-asn). */
export const ROUTER_ASN = 64512;

/** NODE_ASN is the speakers' AS (fixtures/demo/config.yaml: my-asn). */
export const NODE_ASN = 64513;

/** labMembers lists the LAN: a client, `nodes` speaker nodes and a router. */
export function labMembers(nodes = ['node-a', 'node-b', 'node-c']): Member[] {
  const out: Member[] = [{ role: 'client', name: 'client', short: 'cl', ip: '192.0.2.50', mac: '02:00:00:00:00:50' }];
  nodes.forEach((name, i) => {
    const hex = (0x0a + i).toString(16).padStart(2, '0');
    out.push({ role: 'node', name, short: `n${i}`, ip: `192.0.2.${11 + i}`, mac: `02:00:00:00:00:${hex}` });
  });
  out.push({ role: 'router', name: 'router', short: 'rt', ip: '192.0.2.254', mac: '02:00:00:00:00:fe' });
  return out;
}

/** birdConfig renders the router's BIRD config: one passive session per node, routes kept, none exported. */
export function birdConfig(members: readonly Member[], logFile: string): string {
  const router = members.find((m) => m.role === 'router');
  if (!router) throw new Error('lab: no router in the topology');
  const lines = [
    `router id ${router.ip};`,
    `log "${logFile}" all;`,
    'protocol device { }',
    'template bgp speakers {',
    `  local ${router.ip} as ${ROUTER_ASN};`,
    '  passive on;',
    '  hold time 9;',
    '  ipv4 { import all; export none; };',
    '}',
  ];
  for (const m of members.filter((x) => x.role === 'node')) {
    lines.push(`protocol bgp ${m.name.replace(/[^a-z0-9]/gi, '_')} from speakers { neighbor ${m.ip} as ${NODE_ASN}; }`);
  }
  return lines.join('\n') + '\n';
}
