// A matrix as the Matrix panel shows it, parsed once in the extension host: the cells as text, their
// numbers, which columns are numeric and which column names a row. The webview renders this and
// does not re-detect anything.
import { cellNumber } from '../analysis/matrixCsv';

export interface MatrixTable {
  title: string;
  /** Where the table came from (a file path, or "phase p1: accuracy"). */
  source: string;
  header: string[];
  rows: string[][];
  /** The number in each cell, or null (empty or text). */
  values: (number | null)[][];
  /** A column is numeric when every non-empty cell is a number and at least one is. */
  numeric: boolean[];
  /** The column that names a row (the first text column, e.g. `name` or `case`). */
  keyCol: number;
}

export function matrixTable(t: { title: string; source: string; header: string[]; rows: string[][] }): MatrixTable {
  const values = t.rows.map((r) => t.header.map((_, c) => cellNumber(r[c] ?? '')));
  const numeric = t.header.map((_, c) => {
    let seen = false;
    for (let i = 0; i < t.rows.length; i++) {
      if ((t.rows[i]![c] ?? '').trim() === '') continue;
      if (values[i]![c] === null) return false;
      seen = true;
    }
    return seen;
  });
  return {
    ...t,
    values,
    numeric,
    keyCol: Math.max(
      0,
      numeric.findIndex((n) => !n),
    ),
  };
}
