// mappingMarkdown renders migrate/MAPPING.md from the field table the converter itself enforces, so
// the document cannot drift from the code (a golden test compares them byte for byte).
import { LEGACY_FIELDS, type LegacySection } from './fields.js';

const SECTION_TITLES: Record<LegacySection, string> = {
  config: 'Top level of the `config` payload',
  peer: '`peers[]`',
  'node-selector': '`peers[].node-selectors[]`',
  'match-expression': '`peers[].node-selectors[].match-expressions[]`',
  pool: '`address-pools[]`',
  'bgp-advertisement': '`address-pools[].bgp-advertisements[]`',
  'bfd-profile': '`bfd-profiles[]`',
};

/** NOT_EXPRESSIBLE lists what `--to configmap` refuses, and why (the legacy format has no place for it). */
export const NOT_EXPRESSIBLE: [string, string][] = [
  ['IPAddressPool `spec.serviceAllocation` (priority, namespaces, selectors)', 'legacy pools serve every namespace and service, in config order'],
  ['a pool with both L2 and BGP advertisements', 'a legacy pool has exactly one protocol'],
  ['a pool no advertisement selects', 'a legacy pool is always announced'],
  ['L2Advertisement `nodeSelectors`, `interfaces`, `serviceSelectors`', 'legacy layer2 pools are announced from every node, on every interface, for every service'],
  ['BGPAdvertisement `nodeSelectors`, `peers`, `serviceSelectors`', 'legacy advertisements go from every node to every peer for every service'],
  ['large communities (`large:A:B:C`), in advertisements or Community aliases', 'legacy communities are `A:B` with 16-bit halves'],
  ['BGPPeer `vrf`, `connectTime`, `enableGracefulRestart`', 'no legacy peer field exists'],
  ['BGPPeer `passwordSecret` whose Secret is not in the input', 'the legacy format needs the key itself'],
];

/** mappingMarkdown is the full text of migrate/MAPPING.md. */
export function mappingMarkdown(): string {
  const out: string[] = [
    '# Legacy ConfigMap -> metallb.io CRDs: where every field goes',
    '',
    '<!-- Generated from src/migrate/fields.ts and src/migrate/mapping-doc.ts; regenerate with',
    '     UPDATE_GOLDEN=1 node --import tsx node_modules/uvu/bin.js test/unit/migrate mapping -->',
    '',
    '`lbctl migrate` refuses any legacy key that is not in these tables (error `migrate.unmapped-field`),',
    'so nothing is dropped silently. Generated objects live in the ConfigMap\'s namespace (or `--namespace`,',
    'default `metallb-system`). Every conversion is proven: the output is parsed again and must give the',
    'same model as the input, or the run fails and writes nothing.',
    '',
  ];
  for (const section of Object.keys(LEGACY_FIELDS) as LegacySection[]) {
    out.push(`## ${SECTION_TITLES[section]}`, '', '| legacy field | CRD field |', '|---|---|');
    for (const [key, target] of Object.entries(LEGACY_FIELDS[section])) out.push(`| \`${key}\` | ${target} |`);
    out.push('');
  }
  out.push(
    '## Names',
    '',
    '| object | name |',
    '|---|---|',
    '| IPAddressPool | the pool name; coerced to a DNS-1123 name when needed (`My_Pool` -> `my-pool`), a warning says so |',
    '| L2Advertisement | `<pool>-l2` |',
    '| BGPAdvertisement | `<pool>-bgp`, or `<pool>-bgp-<n>` (1-based, legacy order) when the pool lists several |',
    '| BGPPeer | `peer-<address>-as<peer-asn>[-port<port>]`, the name the model gives legacy peers (peerName) |',
    '| Secret (`--password-secrets`) | `<peer>-bgp-password`, type `kubernetes.io/basic-auth`, key `password` |',
    '| BFDProfile | the profile name, coerced like pools |',
    '| Community | `bgp-communities`, one object holding every alias |',
    '',
    'Two legacy names that coerce to the same Kubernetes name are an error naming both originals.',
    '',
    '## Back to a ConfigMap (`--to configmap`): what cannot be expressed',
    '',
    '| construct | why |',
    '|---|---|',
    ...NOT_EXPRESSIBLE.map(([c, why]) => `| ${c} | ${why} |`),
    '',
  );
  return out.join('\n');
}
