// The results panel's table: result JSONs of one phase pivoted over two axes, each cell the mean of
// a numeric field over the remaining axes and reruns (with the count, so a thin cell is visible).
import type { Entry } from './entries';

export interface PivotTable {
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
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
