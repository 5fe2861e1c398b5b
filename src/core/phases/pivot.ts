// The results panel's table: result JSONs of one phase pivoted over two axes, each cell the mean of
// a numeric field over the remaining axes and reruns (with the count, so a thin cell is visible).
import type { Entry } from './entries';
import { guessBetter, type Better } from '../matrix/pareto';

export interface PivotTable {
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
  /** Which way each column improves: every value column as the field's name says; the axis and count none. */
  better: (Better | null)[];
  /** What a cell is, for the panel. */
  note: string;
}

/**
 * The fields a cell can show, the default first: result fields in the order the results have them,
 * without the ones that echo an axis or the rerun number (`rerun` is numeric but is not a result).
 */
export function resultFields(results: unknown[], axes: string[]): string[] {
  const all = [...new Set(results.flatMap((r) => numericFields(r)))];
  const echo = (f: string) => axes.includes(f) || /^reruns?$|(^|\.)rerun(_index)?$/.test(f);
  return [...all.filter((f) => !echo(f)), ...all.filter(echo)];
}

/** Numeric fields of a result, as dotted paths (`metrics.accuracy`). */
export function numericFields(result: unknown, prefix = ''): string[] {
  if (!result || typeof result !== 'object' || Array.isArray(result)) return [];
  return Object.entries(result as Record<string, unknown>).flatMap(([k, v]) =>
    typeof v === 'number' && Number.isFinite(v) ? [`${prefix}${k}`] : typeof v === 'boolean' ? [] : numericFields(v, `${prefix}${k}.`),
  );
}

export function fieldValue(result: unknown, path: string): number | undefined {
  let v: unknown = result;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function pivotResults(o: {
  phase: string;
  rowAxis: string;
  colAxis: string;
  field: string;
  axisValues: Record<string, string[]>;
  results: { entry: Entry; json: unknown }[];
}): PivotTable {
  const cols = o.axisValues[o.colAxis] ?? [];
  const rows = o.axisValues[o.rowAxis] ?? [];
  const sums = new Map<string, { sum: number; n: number }>();
  for (const r of o.results) {
    const v = fieldValue(r.json, o.field);
    if (v === undefined) continue;
    const key = `${r.entry.values[o.rowAxis]}\u0000${r.entry.values[o.colAxis]}`;
    const cell = sums.get(key) ?? { sum: 0, n: 0 };
    cell.sum += v;
    cell.n += 1;
    sums.set(key, cell);
  }
  return {
    title: `${o.phase}: mean ${o.field} — ${o.rowAxis} × ${o.colAxis}`,
    columns: [o.rowAxis, ...cols, 'results'],
    better: [null, ...cols.map(() => guessBetter(o.field) ?? null), null],
    note: `Each cell: the mean of ${o.field} over the other axes and reruns; "results" counts the result files in the row.`,
    rows: rows.map((rv) => {
      let n = 0;
      const cells = cols.map((cv) => {
        const c = sums.get(`${rv}\u0000${cv}`);
        n += c?.n ?? 0;
        return c ? c.sum / c.n : null;
      });
      return [rv, ...cells, n];
    }),
  };
}
