// A small eBPF assembler: instructions as data, jumps to named labels, and one `assemble` that
// resolves the labels into the kernel's 8-byte instruction format (Documentation/bpf/standardization/
// instruction-set.rst). Pure: no I/O, so every encoding is checked byte for byte in unit tests and the
// programs built on it (the layer-2 responder) are plain lists that can be read and diffed.

/** Reg is one of the eleven eBPF registers; r10 is the read-only frame pointer. */
export type Reg = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

/** Size is an access width in bytes. */
export type Size = 1 | 2 | 4 | 8;

/** AluOp names the arithmetic operations the programs use. */
export type AluOp = 'add' | 'sub' | 'mul' | 'or' | 'and' | 'lsh' | 'rsh' | 'xor' | 'mov';

/** JmpOp names the conditional jumps (unsigned comparisons, as the verifier prefers for bounds). */
export type JmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'set';

/** Insn is one symbolic instruction; `jmp` targets and `label` markers are resolved by assemble. */
export type Insn =
  | { op: 'alu64'; alu: AluOp; dst: Reg; src: Reg | { imm: number } }
  | { op: 'alu32'; alu: AluOp; dst: Reg; src: Reg | { imm: number } }
  | { op: 'bswap'; dst: Reg; bits: 16 | 32 | 64 }
  | { op: 'ldimm64'; dst: Reg; imm: bigint }
  | { op: 'ldmapfd'; dst: Reg; fd: number }
  | { op: 'ldx'; size: Size; dst: Reg; src: Reg; off: number }
  | { op: 'stx'; size: Size; dst: Reg; src: Reg; off: number }
  | { op: 'st'; size: Size; dst: Reg; off: number; imm: number }
  | { op: 'atomicAdd'; size: 4 | 8; dst: Reg; src: Reg; off: number }
  | { op: 'jmp'; cond: JmpOp; dst: Reg; src: Reg | { imm: number }; to: string; wide?: false }
  | { op: 'jmp32'; cond: JmpOp; dst: Reg; src: Reg | { imm: number }; to: string }
  | { op: 'ja'; to: string }
  | { op: 'call'; helper: number }
  | { op: 'exit' }
  | { op: 'label'; name: string };

/** AsmError is a program that cannot be encoded: an unknown or duplicate label, an out-of-range field. */
export class AsmError extends Error {
  override readonly name = 'AsmError';
  constructor(
    readonly code: 'asm.label' | 'asm.range',
    message: string,
  ) {
    super(`bpf: ${message}`);
  }
}

const CLASS = { ld: 0x00, ldx: 0x01, st: 0x02, stx: 0x03, alu: 0x04, jmp: 0x05, jmp32: 0x06, alu64: 0x07 } as const;
const SIZE: Record<Size, number> = { 4: 0x00, 2: 0x08, 1: 0x10, 8: 0x18 };
const MODE = { imm: 0x00, mem: 0x60, atomic: 0xc0 } as const;
const SRC_X = 0x08;
const ALU: Record<AluOp, number> = { add: 0x00, sub: 0x10, mul: 0x20, or: 0x40, and: 0x50, lsh: 0x60, rsh: 0x70, xor: 0xa0, mov: 0xb0 };
const JMP: Record<JmpOp, number> = { eq: 0x10, gt: 0x20, ge: 0x30, set: 0x40, ne: 0x50, lt: 0xa0, le: 0xb0 };
const JA = 0x00;
const CALL = 0x80;
const EXIT = 0x90;
const END = 0xd0;
const ATOMIC_ADD = 0x00;
/** PSEUDO_MAP_FD marks an ldimm64 whose immediate is a map file descriptor the kernel swaps for the map. */
const PSEUDO_MAP_FD = 1;

/** slots is how many 8-byte instruction slots an insn takes (ldimm64 takes two, labels none). */
function slots(i: Insn): number {
  if (i.op === 'label') return 0;
  return i.op === 'ldimm64' || i.op === 'ldmapfd' ? 2 : 1;
}

/** assemble encodes a program; the result is what BPF_PROG_LOAD takes as `insns`. */
export function assemble(program: readonly Insn[]): Buffer {
  const at = new Map<string, number>();
  let pc = 0;
  for (const i of program) {
    if (i.op === 'label') {
      if (at.has(i.name)) throw new AsmError('asm.label', `label ${i.name} defined twice`);
      at.set(i.name, pc);
    }
    pc += slots(i);
  }
  const out = Buffer.alloc(pc * 8);
  pc = 0;
  const put = (code: number, dst: number, src: number, off: number, imm: number): void => {
    if (off < -32768 || off > 32767) throw new AsmError('asm.range', `offset ${off} at ${pc} does not fit 16 bits`);
    if (imm < -2147483648 || imm > 4294967295) throw new AsmError('asm.range', `immediate ${imm} at ${pc} does not fit 32 bits`);
    out.writeUInt8(code, pc * 8);
    out.writeUInt8(((src & 0xf) << 4) | (dst & 0xf), pc * 8 + 1);
    out.writeInt16LE(off, pc * 8 + 2);
    out.writeInt32LE(imm | 0, pc * 8 + 4);
    pc++;
  };
  const target = (name: string): number => {
    const t = at.get(name);
    if (t === undefined) throw new AsmError('asm.label', `jump to undefined label ${name}`);
    return t - (pc + 1);
  };
  const operand = (s: Reg | { imm: number }): [number, number, number] => (typeof s === 'number' ? [SRC_X, s, 0] : [0, 0, s.imm]);
  for (const i of program) {
    switch (i.op) {
      case 'label':
        break;
      case 'alu64':
      case 'alu32': {
        const [x, src, imm] = operand(i.src);
        put(CLASS[i.op === 'alu64' ? 'alu64' : 'alu'] | ALU[i.alu] | x, i.dst, src, 0, imm);
        break;
      }
      case 'bswap':
        // BPF_END with BPF_TO_BE: a byte swap to network order on a little-endian host.
        put(CLASS.alu | END | SRC_X, i.dst, 0, 0, i.bits);
        break;
      case 'ldimm64':
      case 'ldmapfd': {
        const v = i.op === 'ldimm64' ? BigInt.asUintN(64, i.imm) : BigInt(i.fd);
        put(CLASS.ld | SIZE[8] | MODE.imm, i.dst, i.op === 'ldmapfd' ? PSEUDO_MAP_FD : 0, 0, Number(v & 0xffffffffn));
        put(0, 0, 0, 0, Number(v >> 32n));
        break;
      }
      case 'ldx':
        put(CLASS.ldx | SIZE[i.size] | MODE.mem, i.dst, i.src, i.off, 0);
        break;
      case 'stx':
        put(CLASS.stx | SIZE[i.size] | MODE.mem, i.dst, i.src, i.off, 0);
        break;
      case 'st':
        put(CLASS.st | SIZE[i.size] | MODE.mem, i.dst, 0, i.off, i.imm);
        break;
      case 'atomicAdd':
        put(CLASS.stx | SIZE[i.size] | MODE.atomic, i.dst, i.src, i.off, ATOMIC_ADD);
        break;
      case 'jmp':
      case 'jmp32': {
        const [x, src, imm] = operand(i.src);
        put(CLASS[i.op] | JMP[i.cond] | x, i.dst, src, target(i.to), imm);
        break;
      }
      case 'ja':
        put(CLASS.jmp | JA, 0, 0, target(i.to), 0);
        break;
      case 'call':
        put(CLASS.jmp | CALL, 0, 0, 0, i.helper);
        break;
      case 'exit':
        put(CLASS.jmp | EXIT, 0, 0, 0, 0);
        break;
    }
  }
  return out;
}
