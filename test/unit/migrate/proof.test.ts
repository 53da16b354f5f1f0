import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeLegacy, parseSources } from '../../../src/config/index.js';
import { buildCrds } from '../../../src/migrate/crds.js';
import { prove } from '../../../src/migrate/convert.js';
import type { K8sObject } from '../../../src/migrate/types.js';
import { ConfigError } from '../../../src/model/index.js';

const payload = `
peers:
- {peer-address: 192.0.2.1, peer-asn: 64501, my-asn: 64500}
address-pools:
- {name: web, protocol: bgp, addresses: [198.51.100.0/24], auto-assign: false}
- {name: lan, protocol: layer2, addresses: [192.0.2.128/25]}
`;

function fresh(): { objects: K8sObject[]; expected: ReturnType<typeof parseSources>['config'] } {
  const model = parseSources([{ name: 'p', text: payload }]).config;
  return { objects: buildCrds(decodeLegacy(payload), model, { namespace: 'metallb-system', passwordSecrets: false }).objects, expected: model };
}

const find = (objs: K8sObject[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name)!;

test('prove accepts a faithful conversion', () => {
  const { objects, expected } = fresh();
  prove(objects, expected, 'metallb-system');
});

const sabotage: [string, (objs: K8sObject[]) => K8sObject[], string][] = [
  ['a changed field', (o) => ((find(o, 'IPAddressPool', 'web').spec as Record<string, unknown>).autoAssign = true, o), 'pools[web].autoAssign: legacy false, CRDs true'],
  ['a dropped advertisement (the old converter bug)', (o) => o.filter((x) => x.kind !== 'L2Advertisement'), 'pools[lan].l2Advertisements[0]'],
  ['a peer named differently from what the model expects', (o) => ((find(o, 'BGPPeer', 'peer-192-0-2-1-as64501').metadata.name = 'peer1'), o), 'peers[peer1]'],
  ['a dropped pool', (o) => o.filter((x) => !(x.kind === 'IPAddressPool' && x.metadata.name === 'lan')), 'pools[lan]: legacy {'],
];
for (const [desc, mutate, want] of sabotage) {
  test(`prove refuses ${desc} and prints the difference`, () => {
    const { objects, expected } = fresh();
    try {
      prove(mutate(objects), expected, 'metallb-system');
      assert.unreachable('the proof must fail');
    } catch (err) {
      assert.instance(err, ConfigError);
      assert.is((err as ConfigError).code, 'migrate.proof');
      assert.match((err as Error).message, want);
    }
  });
}

test('prove reports output the parser refuses as a bug in migrate, with the parser reason', () => {
  const { objects, expected } = fresh();
  (find(objects, 'IPAddressPool', 'lan').spec as Record<string, unknown>).addresses = ['198.51.100.0/24'];
  assert.throws(() => prove(objects, expected, 'metallb-system'), (e: ConfigError) => e.code === 'migrate.proof' && /do not parse back/.test(e.message) && /overlaps/.test(e.message));
});

test.run();
