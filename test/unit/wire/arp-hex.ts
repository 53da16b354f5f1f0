// Test helpers for byte-level wire tests: expected bytes are written one commented field per line.

/** hex joins hex fields (spaces ignored) into one Buffer. */
export function hex(...fields: string[]): Buffer {
  return Buffer.from(fields.join('').replace(/\s+/g, ''), 'hex');
}

/** fixtureFrame loads one captured frame from fixtures/packets/l2-frames.json by name. */
export async function fixtureFrame(name: string): Promise<Buffer> {
  const { readFileSync } = await import('node:fs');
  const url = new URL('../../../fixtures/packets/l2-frames.json', import.meta.url);
  const all = JSON.parse(readFileSync(url, 'utf8')) as { name: string; hex: string }[];
  const hit = all.find((f) => f.name === name);
  if (!hit) throw new Error(`fixture ${name} is missing: run test/support/capture-l2-fixtures.mts`);
  return Buffer.from(hit.hex, 'hex');
}
