// The averages the originals use, bit for bit: `statistics.mean` is exact (the sum is kept as a
// fraction and rounded once), `sum(xs) / len(xs)` adds left to right in doubles (CPython ≤ 3.11,
// which is what this machine's Python is), and `statistics.median` averages the middle pair in doubles.
import { decompose } from './pyFloat';

const fixedShift = 1074n; // every finite double is an integer multiple of 2**-1074

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** The double nearest to p/q (q > 0), ties to even, as Python's int/int true division rounds. */
export function ratioToDouble(p: bigint, q: bigint): number {
  if (p === 0n) return 0;
  const negative = p < 0n;
  const a = negative ? -p : p;
  let e = bitLength(a) - bitLength(q);
  const atLeast = e >= 0 ? a >= q << BigInt(e) : a << BigInt(-e) >= q;
  if (!atLeast) e -= 1; // now 2**e <= a/q < 2**(e+1)
  if (e > 1023) return negative ? -Infinity : Infinity;
  const shift = 52 - Math.max(e, -1022);
  const num = shift >= 0 ? a << BigInt(shift) : a;
  const den = shift >= 0 ? q : q << BigInt(-shift);
  let m = num / den;
  const twice = (num % den) * 2n;
  if (twice > den || (twice === den && m % 2n === 1n)) m += 1n;
  const value = Number(m) * 2 ** -shift;
  return negative ? -value : value;
}

/** The sum of the doubles `xs` as an exact integer multiple of 2**-1074 (decompose each one). */
function bigSum(xs: readonly number[]): bigint {
  let total = 0n;
  for (const x of xs) {
    const { mantissa, exponent } = decompose(x);
    total += mantissa << BigInt(exponent + Number(fixedShift));
  }
  return total;
}

// Beyond this a running sum of doubles could overflow; such values take the BigInt path.
const partialsLimit = 2 ** 960;

/**
 * An exact running sum (Shewchuk's non-overlapping partials, as Python's math.fsum keeps them),
 * so `statistics.mean` needs no list and no BigInt per value: the partials are converted once.
 * Non-finite and huge values go to a BigInt side sum, decomposed as the list version did.
 */
export class ExactSum {
  private partials: number[] = [];
  private big: number[] = [];
  count = 0;

  add(x: number): void {
    this.count++;
    if (!(Math.abs(x) < partialsLimit)) return void this.big.push(x);
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    p.push(x);
  }

  /** Adds everything `o` holds (its partials are exact, so the union stays exact). */
  absorb(o: ExactSum): void {
    const count = this.count + o.count;
    for (const p of o.partials) this.add(p);
    this.big.push(...o.big);
    this.count = count;
  }

  /** Python `statistics.mean` of what was added; 0.0 when nothing was. */
  mean(): number {
    if (!this.count) return 0;
    return ratioToDouble(bigSum(this.partials) + bigSum(this.big), BigInt(this.count) << fixedShift);
  }
}

/** Python `statistics.mean(xs)` for finite floats; 0.0 for an empty list (the originals' `_safe_mean`). */
export function exactMean(xs: readonly number[]): number {
  const s = new ExactSum();
  for (const x of xs) s.add(x);
  return s.mean();
}

/** Python `sum(xs) / len(xs) if xs else 0.0` (analyze_tradeoff_matrix.py's `_safe_mean`). */
export function sumMean(xs: readonly number[]): number {
  if (!xs.length) return 0;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Python `statistics.median(xs)`; 0.0 for an empty list. */
export function median(xs: readonly number[]): number {
  if (!xs.length) return 0;
  const n = xs.length;
  // A typed-array sort is several times faster; it orders -0 before 0 where Python's stable sort keeps
  // them in list order, so a zero in the middle is taken from the stable sort instead.
  const fast = Float64Array.from(xs).sort();
  const lo = fast[(n - 1) >> 1]!;
  const hi = fast[n >> 1]!;
  const d = lo === 0 || hi === 0 ? [...xs].sort((a, b) => a - b) : fast;
  return n % 2 === 1 ? d[n >> 1]! : (d[n / 2 - 1]! + d[n / 2]!) / 2;
}

/** analyze_latency_breakdown.py's `_pearson_corr`: 0.0 for fewer than two points or no variance. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length || xs.length < 2) return 0;
  const mx = exactMean(xs);
  const my = exactMean(ys);
  let cov = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    cov += dx * dy;
    vx += dx * dx;
    vy += dy * dy;
  }
  if (vx <= 0 || vy <= 0) return 0;
  return cov / Math.sqrt(vx * vy);
}

/** The rounding error of the double product a*b (Dekker's TwoProduct: exact for |a|, |b| within 2**±900). */
function productError(a: number, b: number, p: number): number {
  const split = (x: number) => {
    const c = 134217729 * x;
    const hi = c - (c - x);
    return [hi, x - hi] as const;
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

const inSplitRange = (x: number) => Math.abs(x) < 2 ** 900 && Math.abs(x) > 2 ** -900;

/**
 * A column of numbers for `statistics.mean` / `statistics.median` / `len` without the list: the
 * distinct values with their counts (log fields have few distinct values: "12.34ms"), so memory
 * does not grow with the log. Python's median sorts stably, and -0.0 == 0.0, so which zero sits in
 * the middle depends on the zeros' order: their signs are kept in order as run lengths. A column
 * with many distinct values (more than a quarter of its count, past 65,536) keeps each value once
 * instead, in a Float64Array — less than a map entry a value.
 */
export class ValueBag {
  private counts: Map<number, number> | undefined = new Map();
  private raw = new Float64Array(0);
  private rawLength = 0;
  /** Runs of zeros, alternately +0.0 and -0.0, starting with +0.0 (the first run may be empty). */
  private readonly zeroRuns: number[] = [];
  count = 0;

  static of(xs: readonly number[]): ValueBag {
    const b = new ValueBag();
    for (const x of xs) b.add(x);
    return b;
  }

  add(x: number): void {
    this.count++;
    if (x === 0) {
      const negative = Object.is(x, -0);
      const runs = this.zeroRuns;
      if (!runs.length) runs.push(0);
      if ((runs.length - 1) % 2 === 1) {
        if (negative) runs[runs.length - 1]!++;
        else runs.push(1);
      } else if (negative) runs.push(1);
      else runs[runs.length - 1]!++;
      return;
    }
    const m = this.counts;
    if (!m) return this.pushRaw(x);
    m.set(x, (m.get(x) ?? 0) + 1);
    if (m.size > 65536 && m.size * 4 > this.count) {
      this.counts = undefined;
      for (const [v, c] of m) for (let i = 0; i < c; i++) this.pushRaw(v);
    }
  }

  private pushRaw(x: number): void {
    if (this.rawLength === this.raw.length) {
      const bigger = new Float64Array(Math.max(1024, this.raw.length * 2));
      bigger.set(this.raw);
      this.raw = bigger;
    }
    this.raw[this.rawLength++] = x;
  }

  private zeros(): number {
    return this.zeroRuns.reduce((a, b) => a + b, 0);
  }

  /** Python `statistics.mean` (0.0 when empty), exact as exactMean. */
  mean(): number {
    const s = new ExactSum();
    const m = this.counts;
    if (m) {
      for (const [v, c] of m) {
        if (c === 1 || !inSplitRange(v)) for (let i = 0; i < c; i++) s.add(v);
        else {
          // v*c exactly, as the sum of two doubles: the same exact total as adding v c times.
          const p = v * c;
          const before = s.count;
          s.add(p);
          s.add(productError(v, c, p));
          s.count = before + c;
        }
      }
    } else for (let i = 0; i < this.rawLength; i++) s.add(this.raw[i]!);
    s.count += this.zeros();
    return s.mean();
  }

  /** Python `statistics.median` (0.0 when empty). */
  median(): number {
    const n = this.count;
    if (!n) return 0;
    // Sorted distinct non-zero values with their counts; the zeros (in stable order) sit between
    // the negatives and the positives.
    let values: Float64Array;
    let counts: Float64Array | undefined;
    if (this.counts) {
      values = Float64Array.from(this.counts.keys()).sort();
      counts = Float64Array.from(values, (v) => this.counts!.get(v)!);
    } else values = this.raw.slice(0, this.rawLength).sort();
    let negatives = 0;
    for (let i = 0; i < values.length && values[i]! < 0; i++) negatives += counts ? counts[i]! : 1;
    const zeros = this.zeros();
    const at = (k: number): number => {
      if (k >= negatives && k < negatives + zeros) return this.zeroAt(k - negatives);
      let rest = k < negatives ? k : k - zeros;
      if (!counts) return values[rest]!;
      for (let i = 0; i < values.length; i++) {
        if (rest < counts[i]!) return values[i]!;
        rest -= counts[i]!;
      }
      throw new Error('ValueBag: index out of range');
    };
    return n % 2 === 1 ? at(n >> 1) : (at(n / 2 - 1) + at(n / 2)) / 2;
  }

  /** The j-th zero in the order they were added. */
  private zeroAt(j: number): number {
    for (let r = 0; r < this.zeroRuns.length; r++) {
      if (j < this.zeroRuns[r]!) return r % 2 === 0 ? 0 : -0;
      j -= this.zeroRuns[r]!;
    }
    throw new Error('ValueBag: zero index out of range');
  }
}
