// Frozen copy of src/core/analysis/pyStats.ts at 803aebc (before streaming): the reference the new
// implementation is compared with in test/unit/analysis/oracle.unit.test.ts and bench/analysis.bench.ts.
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

/** Python `statistics.mean(xs)` for finite floats; 0.0 for an empty list (the originals' `_safe_mean`). */
export function exactMean(xs: readonly number[]): number {
  if (!xs.length) return 0;
  let total = 0n;
  for (const x of xs) {
    const { mantissa, exponent } = decompose(x);
    total += mantissa << BigInt(exponent + Number(fixedShift));
  }
  return ratioToDouble(total, BigInt(xs.length) << fixedShift);
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
  const d = [...xs].sort((a, b) => a - b);
  const n = d.length;
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
