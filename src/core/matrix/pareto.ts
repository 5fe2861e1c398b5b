// Trade-off helpers for the Matrix panel: which direction is better per metric, Δ% against a
// baseline row, stable sorting with missing values last, and the Pareto front of two metrics.
// Pure: shared by the extension host and the webview.

export type Better = 'min' | 'max';

const lowerBetter =
  /(latency|time|_ms\b|ms$|_s$|\bsec|ttft|tpot|delay|loss|error|err\b|mem|memory|bytes|\bgb\b|_gb|_kb\b|_mb\b|\bkb\b|\bmb\b|_kib|_mib|wire|over_raw|ratio|cost|price|\$|overhead|wait|stall|p50|p90|p95|p99)/i;
// Tokens count as a metric only per second (`tokens_per_s`, `tok/s`): `eval_tokens` is a sweep parameter.
const higherBetter = /(throughput|tok(en)?s?(_per_|[_/ ]|per)s(ec)?\b|tps|qps|rps|speedup|accuracy|\bacc\b|score|f1|bleu|rouge|hit|util|bandwidth|ops\b|rate)/i;

/** Which way a column improves, guessed from its name; undefined when the name says nothing. */
export function guessBetter(column: string): Better | undefined {
  if (higherBetter.test(column)) return 'max';
  if (lowerBetter.test(column)) return 'min';
  return undefined;
}

/**
 * The plot's default axes: a latency metric on X against a ratio or bytes metric on Y (the
 * compression trade-off), else the first two metrics with a direction, else the first two numbers.
 * `better` is each column's direction (null for parameters and text).
 */
export function defaultAxes(header: string[], numeric: boolean[], better: (Better | null)[]): { x?: string; y?: string } {
  const nums = header.map((h, c) => ({ h, c })).filter(({ c }) => numeric[c]);
  const metric = nums.filter(({ c }) => better[c]);
  const find = (from: typeof nums, re: RegExp, not?: string) => from.find(({ h }) => h !== not && re.test(h))?.h;
  const x = find(metric, /latency/i) ?? find(metric, /(_ms\b|ms$|time|_s$)/i) ?? metric[0]?.h ?? nums[0]?.h;
  const y =
    find(metric, /(ratio|over_raw)/i, x) ??
    find(metric, /(_kb\b|kb$|_mb\b|bytes|wire)/i, x) ??
    metric.find(({ h }) => h !== x)?.h ??
    nums.find(({ h }) => h !== x)?.h;
  return { x, y };
}

/** (value − baseline) / |baseline| in percent; null when either is missing or the baseline is 0. */
export function deltaPct(value: number | null, baseline: number | null): number | null {
  if (value === null || baseline === null || !Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return null;
  return ((value - baseline) / Math.abs(baseline)) * 100;
}

/** Whether a change is an improvement: +1 better, −1 worse, 0 unchanged or unknown direction. */
export function verdict(delta: number | null, better: Better | undefined): -1 | 0 | 1 {
  if (delta === null || !better || Math.abs(delta) < 1e-9) return 0;
  return (better === 'max') === delta > 0 ? 1 : -1;
}

/**
 * Row order for a column: numbers compared numerically, text by locale; empty/NaN cells last in
 * either direction; ties keep their original order.
 */
export function sortOrder(cells: (number | null)[], texts: string[], ascending: boolean): number[] {
  const idx = cells.map((_, i) => i);
  const missing = (i: number) => (cells[i] === null || Number.isNaN(cells[i]!)) && texts[i]!.trim() === '';
  const numeric = cells.some((c) => c !== null && !Number.isNaN(c));
  return idx.sort((a, b) => {
    const ma = missing(a) || (numeric && (cells[a] === null || Number.isNaN(cells[a]!)));
    const mb = missing(b) || (numeric && (cells[b] === null || Number.isNaN(cells[b]!)));
    if (ma !== mb) return ma ? 1 : -1;
    if (ma && mb) return a - b;
    const c = numeric ? cells[a]! - cells[b]! : texts[a]!.localeCompare(texts[b]!, undefined, { numeric: true });
    return (ascending ? c : -c) || a - b;
  });
}

/**
 * Indices of the points no other point dominates (at least as good on both axes, better on one),
 * ordered along x; of identical points only the first is listed. O(n log n): sort by x, then keep
 * each point that beats the best y so far. Points with a missing coordinate are never on the front.
 */
export function paretoFront(xs: (number | null)[], ys: (number | null)[], bx: Better, by: Better): number[] {
  const sx = bx === 'min' ? 1 : -1;
  const sy = by === 'min' ? 1 : -1;
  const pts: { i: number; x: number; y: number }[] = [];
  xs.forEach((x, i) => {
    const y = ys[i] ?? null;
    if (x !== null && y !== null && Number.isFinite(x) && Number.isFinite(y)) pts.push({ i, x: sx * x, y: sy * y });
  });
  pts.sort((a, b) => a.x - b.x || a.y - b.y || a.i - b.i);
  const front: { i: number; x: number }[] = [];
  let bestY = Infinity;
  for (const p of pts) {
    if (p.y < bestY) {
      front.push(p);
      bestY = p.y;
    }
  }
  return front.sort((a, b) => sx * a.x - sx * b.x).map((p) => p.i);
}
