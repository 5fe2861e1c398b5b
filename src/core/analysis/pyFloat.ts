// Python's float semantics where the BloomBee analysers depend on them, so our numbers and text are
// the originals' to the last digit: f"{x:.Nf}" (round-half-even on the exact binary value, keeps the
// sign of -0.0), repr(x) (shortest round-trip digits, exponent outside 1e-4..1e16), float() of the
// log's `[0-9.]+` tokens, and int() of text.

/** The exact value of a finite double as `mantissa * 2**exponent`. */
export function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) mantissa |= 1n << 52n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return { mantissa: hi >>> 31 ? -mantissa : mantissa, exponent };
}

/** Python `f"{x:.{digits}f}"`. */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const { mantissa, exponent } = decompose(Math.abs(x));
  const scale = 10n ** BigInt(digits);
  let n: bigint;
  if (exponent >= 0) n = (mantissa << BigInt(exponent)) * scale;
  else {
    const num = mantissa * scale;
    const den = 1n << BigInt(-exponent);
    n = num / den;
    const twice = (num % den) * 2n;
    if (twice > den || (twice === den && n % 2n === 1n)) n += 1n;
  }
  const s = n.toString().padStart(digits + 1, '0');
  const body = digits ? `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}` : s;
  return (negative ? '-' : '') + body;
}

/** Python `f"{x:.2f}"`, the analysers' `_fmt`. */
export const fmt2 = (x: number): string => formatFixed(x, 2);

/** Python `repr(x)` / `str(x)` of a float (what csv.DictWriter writes). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0.0`;
  // toExponential() without an argument gives the shortest round-trip digits, as Python's repr does.
  const [mant, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp10 = Number(exp);
  if (exp10 < -4 || exp10 >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp10).toString().padStart(2, '0');
    return `${sign}${m}e${exp10 < 0 ? '-' : '+'}${e}`;
  }
  const decpt = exp10 + 1;
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** Thrown where Python's float()/int() would raise ValueError (the original crashed with a traceback). */
export class PyValueError extends Error {
  override readonly name = 'PyValueError';
}

const pow10 = Array.from({ length: 23 }, (_, k) => 10 ** k); // exact doubles up to 1e22

/** Python `float(s)` for the decimal tokens the log regexes capture (`-?[0-9.]+`). */
export function pyFloat(s: string): number {
  return pyFloatAt(s, 0, s.length);
}

/** `pyFloat(text.slice(start, end))` without the slice (the hot path: every number of every tagged line). */
export function pyFloatAt(text: string, start: number, end: number): number {
  // A char loop rather than a regex: the token must be [+-]? digits with at most one '.', one digit at least.
  const c0 = text.charCodeAt(start);
  const negative = c0 === 45;
  let i = negative || c0 === 43 ? start + 1 : start;
  let mant = 0;
  let digits = 0;
  let all = 0;
  let frac = -1;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      all++;
      if (mant !== 0 || c !== 48) digits++;
      mant = mant * 10 + (c - 48);
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else break;
  }
  if (i !== end || all === 0) throw new PyValueError(`could not convert string to float: '${text.slice(start, end)}'`);
  // Clinger's exact case: up to 15 digits are an exact integer and 10**k (k <= 22) is exact, so one
  // IEEE division is the correctly rounded value, as Number() gives; otherwise Number() itself.
  if (digits > 15 || frac > 22) return Number(text.slice(start, end));
  const v = frac > 0 ? mant / pow10[frac]! : mant;
  return negative ? -v : v;
}

/** Python `int(s)` of text (surrounding whitespace, sign and `_` digit separators allowed); undefined if Python raises. */
export function pyIntText(s: string): bigint | undefined {
  const t = s.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(t)) return undefined;
  return BigInt(t.replace(/_/g, ''));
}

/** Compares strings by code point, as Python sorts `str`. */
export function comparePy(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d) return d;
  }
}

/** Python `f"{s:>w}"` / `f"{s:w}"` (width counted in code points, never truncates). */
export function padLeft(s: string, width: number): string {
  const n = [...s].length;
  return n >= width ? s : ' '.repeat(width - n) + s;
}
export function padRight(s: string, width: number): string {
  const n = [...s].length;
  return n >= width ? s : s + ' '.repeat(width - n);
}

/** Python `s[:n]` by code points. */
export function pySlice(s: string, n: number): string {
  return [...s].slice(0, n).join('');
}
