// The dependency direction of STYLE.md, checked on the real import graph of src/:
// model and wire import nothing of ours, nothing imports the CLI, and there are no import cycles.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return listFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** graph maps each file (relative to src) to the files of ours it imports (type-only imports too). */
function graph(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of listFiles(src)) {
    const text = readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
      const target = path.resolve(path.dirname(file), m[1]!).replace(/\.js$/, '.ts');
      deps.push(path.relative(src, target));
    }
    out.set(path.relative(src, file), deps);
  }
  return out;
}

const layer = (file: string): string => file.split(path.sep)[0]!;

test('src/ has files to check', () => {
  assert.ok(graph().size > 20);
});

const sealed: [string, string[]][] = [
  ['model', ['model']],
  ['wire', ['wire']],
  ['bpf', ['bpf']],
];
for (const [from, allowed] of sealed) {
  test(`${from} imports nothing of ours outside ${allowed.join(', ')}`, () => {
    const bad: string[] = [];
    for (const [file, deps] of graph()) {
      if (layer(file) !== from) continue;
      for (const d of deps) if (!allowed.includes(layer(d))) bad.push(`${file} -> ${d}`);
    }
    assert.equal(bad, []);
  });
}

test('nothing outside the CLI imports the CLI', () => {
  const bad: string[] = [];
  for (const [file, deps] of graph()) {
    if (layer(file) === 'cli') continue;
    for (const d of deps) if (layer(d) === 'cli') bad.push(`${file} -> ${d}`);
  }
  assert.equal(bad, []);
});

test('config and allocator depend only on the model (and themselves)', () => {
  const bad: string[] = [];
  for (const [file, deps] of graph()) {
    if (layer(file) !== 'config' && layer(file) !== 'allocator') continue;
    for (const d of deps) {
      const l = layer(d);
      if (l !== 'model' && l !== layer(file) && d !== 'log.ts') bad.push(`${file} -> ${d}`);
    }
  }
  assert.equal(bad, []);
});

test('there are no import cycles', () => {
  const g = graph();
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, trail: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const d of g.get(file) ?? []) visit(d, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of g.keys()) visit(file, []);
  assert.equal(cycles, []);
});

test.run();
