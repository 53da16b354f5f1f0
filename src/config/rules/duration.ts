// Go's time.ParseDuration, exactly: MetalLB reads hold-time/keepalive-time (and the CRDs' metav1.Duration)
// with it, so `90` (no unit) fails, `1m30s` and `3.7s` work, and `500ms` is a valid (sub-second) value.

const unitNanos: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const maxDuration = (1n << 63n) - 1n;

/** parseGoDuration returns the duration in nanoseconds, or undefined when Go would refuse the text. */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  const segment = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = segment.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const unit = unitNanos[m[3]!]!;
    const whole = m[1] === '' ? 0n : BigInt(m[1]!);
    const frac = m[2] ?? '';
    // Go scales the fraction and truncates below a nanosecond; bigint division truncates the same way.
    const fracNanos = frac === '' ? 0n : (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += whole * unit + fracNanos;
    if (total > maxDuration) return undefined;
    s = s.slice(m[0].length);
  }
  return neg ? -total : total;
}

/** wholeSeconds truncates nanoseconds towards zero to whole seconds, as MetalLB does. */
export function wholeSeconds(nanos: bigint): number {
  return Number(nanos / 1_000_000_000n);
}
