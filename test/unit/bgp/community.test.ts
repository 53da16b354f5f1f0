// Community ordering and merging (MetalLB main's order: standard A:B compares as (A<<16|B, 0, 0)).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareCommunities, mergeCommunities, parseCommunity } from '../../../src/speaker/bgp/community.js';

const parses: { desc: string; input: string; want: ReturnType<typeof parseCommunity> }[] = [
  { desc: 'a standard community splits into two halves', input: '65000:100', want: { kind: 'standard', parts: [65000, 100] } },
  { desc: 'a large community splits into three parts', input: 'large:4200000000:1:2', want: { kind: 'large', parts: [4200000000, 1, 2] } },
  { desc: 'a standard half above 65535 is not a community', input: '65536:1', want: undefined },
  { desc: 'a large part above 2^32-1 is not a community', input: 'large:4294967296:0:0', want: undefined },
  { desc: 'a well-known name is not canonical', input: 'no-export', want: undefined },
  { desc: 'a large community with two parts is not one', input: 'large:1:2', want: undefined },
];
for (const c of parses) test(c.desc, () => assert.equal(parseCommunity(c.input), c.want));

const orders: { desc: string; input: string[]; want: string[] }[] = [
  { desc: 'standard communities sort by their 32-bit value', input: ['1:0', '0:65535', '0:2'], want: ['0:2', '0:65535', '1:0'] },
  { desc: 'a large community with a small global admin sorts before a big standard one', input: ['65000:1', 'large:1:2:3'], want: ['large:1:2:3', '65000:1'] },
  { desc: 'a standard value equal to a large global admin sorts first (its locals are 0)', input: ['large:65537:0:1', '1:1'], want: ['1:1', 'large:65537:0:1'] },
  { desc: 'large communities sort part by part', input: ['large:1:2:4', 'large:1:2:3', 'large:0:9:9'], want: ['large:0:9:9', 'large:1:2:3', 'large:1:2:4'] },
];
for (const c of orders) test(c.desc, () => assert.equal([...c.input].sort(compareCommunities), c.want));

test('mergeCommunities returns the sorted union without duplicates', () => {
  assert.equal(mergeCommunities(['2:2', '1:1'], ['1:1', 'large:0:0:1'], []), ['large:0:0:1', '1:1', '2:2']);
});

test.run();
