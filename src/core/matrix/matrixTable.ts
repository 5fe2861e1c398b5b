// A matrix as the Matrix panel shows it, parsed once in the extension host: the cells as text, their
// numbers, which columns are numeric and which column names a row. The webview renders this and
// does not re-detect anything.
import { cellNumber } from '../analysis/matrixCsv';
import { guessBetter, type Better } from './pareto';

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
  /**
   * Which way each column improves: from the column's name (a CSV), or from the field a pivot's
   * cells hold (its columns are axis values such as model names, which say nothing). Null for text
   * and parameters.
   */
  better: (Better | null)[];
  /** One line for the panel about what this table is (which file, where it came from). */
  note: string;
}

/** What each of the analysis's matrix files is, so a researcher knows which one is open. */
export function matrixNote(title: string): string {
  if (/(^|[\\/])sweep_matrix\.csv$/.test(title))
    return "sweep_matrix.csv: written by Run Sweep (sequenced) — one row per case with the case's settings and the means over its steps. Collect writes tradeoff_matrix.csv (one row per collected case, with latency and bytes broken down).";
  if (/(^|[\\/])tradeoff_matrix\.csv$/.test(title))
    return 'tradeoff_matrix.csv: written by Collect (and at the end of a queue run) — one row per collected case, latency and bytes broken down, the first case as baseline. A sequenced Run writes sweep_matrix.csv (case settings and means).';
  return '';
}

export function matrixTable(t: {
  title: string;
  source: string;
  header: string[];
  rows: string[][];
  /** Directions per column when the names do not say (a pivot); default: guessed from each name. */
  better?: (Better | null)[];
  note?: string;
}): MatrixTable {
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
    title: t.title,
    source: t.source,
    header: t.header,
    rows: t.rows,
    values,
    numeric,
    better: t.header.map((h, c) => (numeric[c] ? (t.better ? (t.better[c] ?? null) : (guessBetter(h) ?? null)) : null)),
    note: t.note ?? matrixNote(t.title),
    keyCol: Math.max(
      0,
      numeric.findIndex((n) => !n),
    ),
  };
}
