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
