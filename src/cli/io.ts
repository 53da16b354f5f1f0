// Shared CLI plumbing: reading FILE or `-` (stdin), the exit-code convention, and printing results as
// JSON or text. Commands stay thin: read input, call a library function, print with these helpers.
import { readFile } from 'node:fs/promises';

/** EXIT is the exit-code convention of every lbctl command. */
export const EXIT = {
  /** ok: the command did what was asked (the config is valid). */
  ok: 0,
  /** invalid: the input was read but is wrong (an invalid config, a failed conversion). */
  invalid: 1,
  /** usage: the command line or the input files could not be used (bad flag, missing file). */
  usage: 2,
} as const;

/** ExitCode is one of EXIT's values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** InputFile is one read input: its display name and text. */
export interface InputFile {
  name: string;
  text: string;
}

/** UsageError marks a problem with how the command was called (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'cli.usage';
}

/** readStdin reads all of a stream (stdin by default) as UTF-8. */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * readInputs reads every FILE argument; `-` means stdin and may appear once. A file that cannot be
 * read is a UsageError naming it.
 */
export async function readInputs(files: string[], stdin: () => Promise<string> = () => readStdin()): Promise<InputFile[]> {
  if (files.length === 0) throw new UsageError('no input: give one or more FILE arguments, or - for stdin');
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) may be given only once');
  const out: InputFile[] = [];
  for (const f of files) {
    if (f === '-') {
      out.push({ name: 'stdin', text: await stdin() });
      continue;
    }
    try {
      out.push({ name: f, text: await readFile(f, 'utf8') });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new UsageError(`cannot read ${JSON.stringify(f)}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code}`);
    }
  }
  return out;
}

/** Writer is where a command prints (stdout by default; tests pass a collector). */
export type Writer = (text: string) => void;

/** stdoutWriter writes to process.stdout. */
export const stdoutWriter: Writer = (text) => void process.stdout.write(text);

/** stderrWriter writes to process.stderr. */
export const stderrWriter: Writer = (text) => void process.stderr.write(text);

/** printJSON writes a value as indented JSON with a trailing newline (bigints refused loudly). */
export function printJSON(value: unknown, write: Writer = stdoutWriter): void {
  write(`${JSON.stringify(value, null, 2)}\n`);
}

/** printLines writes lines, each ending in a newline. */
export function printLines(lines: string[], write: Writer = stdoutWriter): void {
  if (lines.length > 0) write(`${lines.join('\n')}\n`);
}
