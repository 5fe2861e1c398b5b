// CSV as Python's csv.DictWriter writes it (minimal quoting, "\r\n" line ends, floats as repr, ints
// as digits) and a reader for the Matrix panel (header, rows, which columns are numeric).
import { pyFloatRepr } from './pyFloat';
import { csvRows } from '../csv/csv';

/** A CSV cell: a JS `number` is a Python float, a `bigint` a Python int, a string stays as is. */
export type CsvValue = string | number | bigint;

const text = (v: CsvValue): string => (typeof v === 'number' ? pyFloatRepr(v) : typeof v === 'bigint' ? v.toString() : v);

/** The whole file: header, then one line per row in `fields` order (missing values are empty). */
export function writeCsv(fields: readonly string[], rows: readonly Record<string, CsvValue | undefined>[]): string {
  return csvRows([fields.map((f) => f), ...rows.map((r) => fields.map((f) => (r[f] === undefined ? '' : text(r[f]!))))]);
}

export interface MatrixTable {
  header: string[];
  /** Raw cell text; short rows are padded with '' to the header's width. */
  rows: string[][];
  /** Per column: true when every non-empty cell is a number (and at least one is). */
  numeric: boolean[];
  /** Per row and column: the cell as a number, or null (empty or not numeric). */
  values: (number | null)[][];
}

/** A cell as a number, accepting what Python writes (repr floats, `inf`, `nan`); null otherwise. */
export function cellNumber(text: string): number | null {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  return null;
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) — e.g. tradeoff_matrix.csv or sweep_matrix.csv. */
export function readMatrixCsv(text: string): MatrixTable {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = records.shift() ?? [];
  const rows = records
    .filter((r) => !(r.length === 1 && r[0] === ''))
    .map((r) => (r.length < header.length ? [...r, ...Array<string>(header.length - r.length).fill('')] : r));
  const values = rows.map((r) => r.map(cellNumber));
  const numeric = header.map((_, c) => {
    let seen = false;
    for (let i = 0; i < rows.length; i++) {
      if (rows[i]![c]!.trim() === '') continue;
      if (values[i]![c] === null) return false;
      seen = true;
    }
    return seen;
  });
  return { header, rows, numeric, values };
}

function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      endField();
      out.push(row);
      row = [];
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (field !== '' || row.length) {
    endField();
    out.push(row);
  }
  return out;
}
