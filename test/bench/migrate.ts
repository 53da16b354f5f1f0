// Benchmark: `lbctl migrate` on a large legacy config (1,000 pools, 100 peers), both directions,
// proof included. Run: npx tsx test/bench/migrate.ts [pools] [peers] [rounds]
import { performance } from 'node:perf_hooks';
import { runMigrate } from '../../src/migrate/index.js';
import { asYaml, toYaml } from '../../src/migrate/yaml.js';

const pools = Number(process.argv[2] ?? 1000);
const peers = Number(process.argv[3] ?? 100);
const rounds = Number(process.argv[4] ?? 3);

function legacyConfig(): string {
  const payload = {
    peers: Array.from({ length: peers }, (_, i) => ({ 'peer-address': `10.255.${i >> 8}.${i & 255}`, 'peer-asn': 64501, 'my-asn': 64500, 'hold-time': '90s' })),
    'bgp-communities': { 'no-export': '65535:65281' },
    'address-pools': Array.from({ length: pools }, (_, i) => ({
      name: `Pool_${i}`,
      protocol: i % 2 === 0 ? 'layer2' : 'bgp',
      addresses: [`10.${i >> 8}.${i & 255}.0/24`],
      ...(i % 2 === 1 ? { 'bgp-advertisements': [{ 'aggregation-length': 32, communities: ['no-export'] }, { 'aggregation-length': 24 }] } : {}),
    })),
  };
  return toYaml(asYaml(payload));
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

const text = legacyConfig();
const forward: number[] = [];
const back: number[] = [];
let objects = 0;
for (let r = 0; r < rounds; r++) {
  const f = time(() => runMigrate({ input: { source: 'bench.yaml', text }, to: 'crds', output: 'yaml', perFile: false, passwordSecrets: false }));
  forward.push(f.ms);
  objects = f.value.objects.length;
  const b = time(() => runMigrate({ input: { source: 'bench.crds.yaml', text: f.value.stream! }, to: 'configmap', output: 'yaml', perFile: false, passwordSecrets: false }));
  back.push(b.ms);
}
const best = (xs: number[]) => Math.min(...xs).toFixed(0);
console.log(`migrate bench: ${pools} pools, ${peers} peers -> ${objects} objects (${(text.length / 1024).toFixed(0)} KiB in)`);
console.log(`  legacy -> CRDs (parse, build, prove, render): best ${best(forward)} ms of ${rounds}`);
console.log(`  CRDs -> legacy (parse, build, prove, render): best ${best(back)} ms of ${rounds}`);
