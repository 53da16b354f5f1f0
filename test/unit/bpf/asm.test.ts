// The eBPF assembler byte for byte. Every expected encoding is written from the kernel's
// instruction-set document (Documentation/bpf/standardization/instruction-set.rst), one 8-byte slot
// per line: opcode, regs (src_reg high nibble, dst_reg low nibble), offset s16 LE, imm s32 LE.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AsmError, assemble, type Insn } from '../../../src/bpf/asm.js';

/** slot writes one instruction as the document lays it out; the bytes are written by hand here. */
const slot = (opcode: string, regs: string, off: string, imm: string): string => `${opcode}${regs}${off}${imm}`;
const hex = (...slots: string[]): string => slots.join('');
const NOOFF = '0000';
const ZERO = '00000000';

const cases: { desc: string; prog: Insn[]; want: string }[] = [
  // ALU64 (class 0x07) and ALU (0x04): op | source (K 0x00, X 0x08) | class.
  { desc: 'r0 = 0 (mov64 imm)', prog: [{ op: 'alu64', alu: 'mov', dst: 0, src: { imm: 0 } }], want: slot('b7', '00', NOOFF, ZERO) },
  { desc: 'r6 = r1 (mov64 reg)', prog: [{ op: 'alu64', alu: 'mov', dst: 6, src: 1 }], want: slot('bf', '16', NOOFF, ZERO) },
  { desc: 'r2 += -24 (negative imm is s32 LE)', prog: [{ op: 'alu64', alu: 'add', dst: 2, src: { imm: -24 } }], want: slot('07', '02', NOOFF, 'e8ffffff') },
  { desc: 'r0 += r2', prog: [{ op: 'alu64', alu: 'add', dst: 0, src: 2 }], want: slot('0f', '20', NOOFF, ZERO) },
  { desc: 'r1 -= r2', prog: [{ op: 'alu64', alu: 'sub', dst: 1, src: 2 }], want: slot('1f', '21', NOOFF, ZERO) },
  { desc: 'r1 *= 3', prog: [{ op: 'alu64', alu: 'mul', dst: 1, src: { imm: 3 } }], want: slot('27', '01', NOOFF, '03000000') },
  { desc: 'r2 |= r3', prog: [{ op: 'alu64', alu: 'or', dst: 2, src: 3 }], want: slot('4f', '32', NOOFF, ZERO) },
  { desc: 'r0 &= 0xffff', prog: [{ op: 'alu64', alu: 'and', dst: 0, src: { imm: 0xffff } }], want: slot('57', '00', NOOFF, 'ffff0000') },
  { desc: 'r1 <<= 3', prog: [{ op: 'alu64', alu: 'lsh', dst: 1, src: { imm: 3 } }], want: slot('67', '01', NOOFF, '03000000') },
  { desc: 'r2 >>= 16', prog: [{ op: 'alu64', alu: 'rsh', dst: 2, src: { imm: 16 } }], want: slot('77', '02', NOOFF, '10000000') },
  { desc: 'r0 ^= 0xffff', prog: [{ op: 'alu64', alu: 'xor', dst: 0, src: { imm: 0xffff } }], want: slot('a7', '00', NOOFF, 'ffff0000') },
  { desc: 'w2 = 5 (mov32 imm)', prog: [{ op: 'alu32', alu: 'mov', dst: 2, src: { imm: 5 } }], want: slot('b4', '02', NOOFF, '05000000') },
  { desc: 'w3 += w4 (add32 reg)', prog: [{ op: 'alu32', alu: 'add', dst: 3, src: 4 }], want: slot('0c', '43', NOOFF, ZERO) },
  { desc: 'an unsigned imm 0xffffffff is written as its 32 bits', prog: [{ op: 'alu32', alu: 'mov', dst: 1, src: { imm: 0xffffffff } }], want: slot('b4', '01', NOOFF, 'ffffffff') },
  // BPF_END (0xd0) | BPF_TO_BE (0x08) | BPF_ALU: a swap on a little-endian host; imm is the width.
  { desc: 'be16 r2', prog: [{ op: 'bswap', dst: 2, bits: 16 }], want: slot('dc', '02', NOOFF, '10000000') },
  { desc: 'be32 r3', prog: [{ op: 'bswap', dst: 3, bits: 32 }], want: slot('dc', '03', NOOFF, '20000000') },
  { desc: 'be64 r4', prog: [{ op: 'bswap', dst: 4, bits: 64 }], want: slot('dc', '04', NOOFF, '40000000') },
  // BPF_LD | BPF_DW | BPF_IMM (0x18): the wide form, the high half in the second slot's imm.
  { desc: 'r2 = 0x1122334455667788 ll', prog: [{ op: 'ldimm64', dst: 2, imm: 0x1122334455667788n }], want: hex(slot('18', '02', NOOFF, '88776655'), slot('00', '00', NOOFF, '44332211')) },
  { desc: 'r3 = -1 ll (two complement in both halves)', prog: [{ op: 'ldimm64', dst: 3, imm: -1n }], want: hex(slot('18', '03', NOOFF, 'ffffffff'), slot('00', '00', NOOFF, 'ffffffff')) },
  { desc: 'r1 = map fd 5 (src_reg BPF_PSEUDO_MAP_FD = 1)', prog: [{ op: 'ldmapfd', dst: 1, fd: 5 }], want: hex(slot('18', '11', NOOFF, '05000000'), slot('00', '00', NOOFF, ZERO)) },
  // Memory: mode MEM 0x60 | size (W 0x00, H 0x08, B 0x10, DW 0x18) | class.
  { desc: 'r2 = *(u32 *)(r6 + 40)', prog: [{ op: 'ldx', size: 4, dst: 2, src: 6, off: 40 }], want: slot('61', '62', '2800', ZERO) },
  { desc: 'r2 = *(u16 *)(r7 + 12)', prog: [{ op: 'ldx', size: 2, dst: 2, src: 7, off: 12 }], want: slot('69', '72', '0c00', ZERO) },
  { desc: 'r2 = *(u8 *)(r7 + 21)', prog: [{ op: 'ldx', size: 1, dst: 2, src: 7, off: 21 }], want: slot('71', '72', '1500', ZERO) },
  { desc: 'r2 = *(u64 *)(r7 + 22)', prog: [{ op: 'ldx', size: 8, dst: 2, src: 7, off: 22 }], want: slot('79', '72', '1600', ZERO) },
  { desc: '*(u32 *)(r10 - 20) = r3', prog: [{ op: 'stx', size: 4, dst: 10, src: 3, off: -20 }], want: slot('63', '3a', 'ecff', ZERO) },
  { desc: '*(u16 *)(r7 + 4) = r3', prog: [{ op: 'stx', size: 2, dst: 7, src: 3, off: 4 }], want: slot('6b', '37', '0400', ZERO) },
  { desc: '*(u8 *)(r7 + 0) = r3', prog: [{ op: 'stx', size: 1, dst: 7, src: 3, off: 0 }], want: slot('73', '37', NOOFF, ZERO) },
  { desc: '*(u64 *)(r10 - 8) = r1', prog: [{ op: 'stx', size: 8, dst: 10, src: 1, off: -8 }], want: slot('7b', '1a', 'f8ff', ZERO) },
  { desc: '*(u64 *)(r10 - 24) = 0', prog: [{ op: 'st', size: 8, dst: 10, off: -24, imm: 0 }], want: slot('7a', '0a', 'e8ff', ZERO) },
  { desc: '*(u32 *)(r10 - 8) = 7', prog: [{ op: 'st', size: 4, dst: 10, off: -8, imm: 7 }], want: slot('62', '0a', 'f8ff', '07000000') },
  { desc: '*(u16 *)(r7 + 56) = 0x0102', prog: [{ op: 'st', size: 2, dst: 7, off: 56, imm: 0x0102 }], want: slot('6a', '07', '3800', '02010000') },
  { desc: '*(u8 *)(r7 + 21) = 2', prog: [{ op: 'st', size: 1, dst: 7, off: 21, imm: 2 }], want: slot('72', '07', '1500', '02000000') },
  // Atomic: STX | ATOMIC 0xc0 | size; imm carries the operation, BPF_ADD = 0x00.
  { desc: 'lock *(u64 *)(r9 + 8) += r1', prog: [{ op: 'atomicAdd', size: 8, dst: 9, src: 1, off: 8 }], want: slot('db', '19', '0800', ZERO) },
  { desc: 'lock *(u32 *)(r9 + 8) += r1', prog: [{ op: 'atomicAdd', size: 4, dst: 9, src: 1, off: 8 }], want: slot('c3', '19', '0800', ZERO) },
  // JMP (0x05): call 0x85 with the helper id, exit 0x95.
  { desc: 'call bpf_map_lookup_elem (1)', prog: [{ op: 'call', helper: 1 }], want: slot('85', '00', NOOFF, '01000000') },
  { desc: 'exit', prog: [{ op: 'exit' }], want: slot('95', '00', NOOFF, ZERO) },
];

// Conditional jumps, each to a label right after it and an exit (offset 0 and +1 checked apart).
const jumps: { desc: string; insn: Insn; opcode: string; regs: string; imm: string }[] = [
  { desc: 'if r0 == 0', insn: { op: 'jmp', cond: 'eq', dst: 0, src: { imm: 0 }, to: 'L' }, opcode: '15', regs: '00', imm: ZERO },
  { desc: 'if r2 != 58', insn: { op: 'jmp', cond: 'ne', dst: 2, src: { imm: 58 }, to: 'L' }, opcode: '55', regs: '02', imm: '3a000000' },
  { desc: 'if r2 > r8', insn: { op: 'jmp', cond: 'gt', dst: 2, src: 8, to: 'L' }, opcode: '2d', regs: '82', imm: ZERO },
  { desc: 'if r2 >= 3', insn: { op: 'jmp', cond: 'ge', dst: 2, src: { imm: 3 }, to: 'L' }, opcode: '35', regs: '02', imm: '03000000' },
  { desc: 'if r2 < r3', insn: { op: 'jmp', cond: 'lt', dst: 2, src: 3, to: 'L' }, opcode: 'ad', regs: '32', imm: ZERO },
  { desc: 'if r2 <= 9', insn: { op: 'jmp', cond: 'le', dst: 2, src: { imm: 9 }, to: 'L' }, opcode: 'b5', regs: '02', imm: '09000000' },
  { desc: 'if r2 & 1', insn: { op: 'jmp', cond: 'set', dst: 2, src: { imm: 1 }, to: 'L' }, opcode: '45', regs: '02', imm: '01000000' },
  { desc: 'if w2 != 0xffffffff (jmp32 imm)', insn: { op: 'jmp32', cond: 'ne', dst: 2, src: { imm: 0xffffffff }, to: 'L' }, opcode: '56', regs: '02', imm: 'ffffffff' },
  { desc: 'if w2 == w3 (jmp32 reg)', insn: { op: 'jmp32', cond: 'eq', dst: 2, src: 3, to: 'L' }, opcode: '1e', regs: '32', imm: ZERO },
  { desc: 'if w2 != w3 (jmp32 reg)', insn: { op: 'jmp32', cond: 'ne', dst: 2, src: 3, to: 'L' }, opcode: '5e', regs: '32', imm: ZERO },
  { desc: 'goto (ja)', insn: { op: 'ja', to: 'L' }, opcode: '05', regs: '00', imm: ZERO },
];
for (const c of jumps) {
  cases.push({ desc: `${c.desc} (offset 0)`, prog: [c.insn, { op: 'label', name: 'L' }, { op: 'exit' }], want: hex(slot(c.opcode, c.regs, NOOFF, c.imm), slot('95', '00', NOOFF, ZERO)) });
  cases.push({ desc: `${c.desc} (offset +1)`, prog: [c.insn, { op: 'exit' }, { op: 'label', name: 'L' }, { op: 'exit' }], want: hex(slot(c.opcode, c.regs, '0100', c.imm), slot('95', '00', NOOFF, ZERO), slot('95', '00', NOOFF, ZERO)) });
}

for (const c of cases) {
  test(`encodes ${c.desc}`, () => {
    assert.is(assemble(c.prog).toString('hex'), c.want);
  });
}

const exit: Insn = { op: 'exit' };
const r0is = (imm: number): Insn => ({ op: 'alu64', alu: 'mov', dst: 0, src: { imm } });

test('labels take no slot; offsets count from the instruction after the jump', () => {
  // pc0 ja end; pc1 r0 = 1; pc2 exit; end: pc3 r0 = 2; pc4 exit -> offset 3 - 1 = 2.
  const out = assemble([{ op: 'ja', to: 'end' }, r0is(1), exit, { op: 'label', name: 'end' }, r0is(2), exit]);
  assert.is(out.length, 5 * 8);
  assert.is(out.subarray(0, 8).toString('hex'), slot('05', '00', '0200', ZERO));
});

test('a backward jump gets a negative offset; a jump to itself is -1', () => {
  // top: pc0 r0 = 0; pc1 if r0 == 0 goto top -> 0 - 2 = -2; self: pc2 goto self -> -1.
  const out = assemble([{ op: 'label', name: 'top' }, r0is(0), { op: 'jmp', cond: 'eq', dst: 0, src: { imm: 0 }, to: 'top' }, { op: 'label', name: 'self' }, { op: 'ja', to: 'self' }]);
  assert.is(out.subarray(8, 16).toString('hex'), slot('15', '00', 'feff', ZERO));
  assert.is(out.subarray(16, 24).toString('hex'), slot('05', '00', 'ffff', ZERO));
});

test('ldimm64 and ldmapfd count as two slots in jump offsets, forward and backward', () => {
  // pc0 ja end; pc1-2 ldimm64; pc3-4 ldmapfd; end: pc5 goto start(pc0) -> forward 5 - 1 = 4, back 0 - 6 = -6.
  const out = assemble([
    { op: 'label', name: 'start' }, { op: 'ja', to: 'end' },
    { op: 'ldimm64', dst: 1, imm: 1n }, { op: 'ldmapfd', dst: 1, fd: 3 },
    { op: 'label', name: 'end' }, { op: 'ja', to: 'start' },
  ]);
  assert.is(out.length, 6 * 8);
  assert.is(out.subarray(0, 8).toString('hex'), slot('05', '00', '0400', ZERO));
  assert.is(out.subarray(40, 48).toString('hex'), slot('05', '00', 'faff', ZERO));
});

test('an empty program and a lone label assemble to nothing', () => {
  assert.is(assemble([]).length, 0);
  assert.is(assemble([{ op: 'label', name: 'x' }]).length, 0);
});

/** fails asserts assemble throws an AsmError with `code` and a message matching `re`. */
function fails(prog: Insn[], code: AsmError['code'], re: RegExp): void {
  try {
    assemble(prog);
  } catch (e) {
    assert.instance(e, AsmError);
    assert.is((e as AsmError).code, code);
    assert.match((e as AsmError).message, re);
    return;
  }
  assert.unreachable('assemble accepted the program');
}

test('errors: a jump to an undefined label', () => fails([{ op: 'ja', to: 'nowhere' }], 'asm.label', /undefined label nowhere/));
test('errors: a label defined twice', () => fails([{ op: 'label', name: 'a' }, exit, { op: 'label', name: 'a' }, exit], 'asm.label', /label a defined twice/));
test('errors: a memory offset beyond s16', () => {
  fails([{ op: 'ldx', size: 4, dst: 1, src: 2, off: 32768 }], 'asm.range', /offset 32768/);
  fails([{ op: 'stx', size: 4, dst: 1, src: 2, off: -32769 }], 'asm.range', /offset -32769/);
  // The edges themselves fit.
  assert.is(assemble([{ op: 'ldx', size: 4, dst: 1, src: 2, off: 32767 }]).readInt16LE(2), 32767);
  assert.is(assemble([{ op: 'ldx', size: 4, dst: 1, src: 2, off: -32768 }]).readInt16LE(2), -32768);
});
test('errors: an immediate beyond 32 bits', () => {
  fails([r0is(2 ** 32)], 'asm.range', /immediate 4294967296/);
  fails([r0is(-(2 ** 31) - 1)], 'asm.range', /immediate -2147483649/);
  fails([{ op: 'st', size: 4, dst: 10, off: -8, imm: 2 ** 40 }], 'asm.range', /immediate/);
  assert.is(assemble([r0is(-(2 ** 31))]).readInt32LE(4), -(2 ** 31));
});
test('errors: a jump farther than 32767 slots', () => {
  const far = (n: number): Insn[] => [{ op: 'ja', to: 'end' }, ...Array<Insn>(n).fill(exit), { op: 'label', name: 'end' }, exit];
  assert.is(assemble(far(32767)).readInt16LE(2), 32767);
  fails(far(32768), 'asm.range', /offset 32768/);
});

test.run();
