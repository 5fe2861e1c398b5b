// The one CSV writer: RFC 4180 quoting exactly as Python's csv module writes it (minimal quoting,
// CRLF, a lone empty field written as ""), so the analysis matrices stay byte-identical to the
// BloomBee scripts'. Exports meant for spreadsheets also neutralise formula cells (OWASP "CSV
// injection"): a cell starting with = + - @ TAB or CR gets a leading ' — except a cell that is a
// number, so -3.5 stays a number. Pure (no Node imports): the Matrix webview bundles it too.

export interface CsvOptions {
  /** Prefix formula-looking text cells with `'` (for files a spreadsheet opens). Default false. */
  neutralizeFormulas?: boolean;
}

/** A number as a spreadsheet reads one (what Python writes too: repr floats, inf, nan). */
export function isNumberText(text: string): boolean {
  const t = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) || /^[+-]?(inf(inity)?|nan)$/i.test(t);
}

const formulaStart = /^[=+\-@\t\r]/;

/** One field, quoted when it holds a quote, comma or line break (and neutralised when asked). */
export function csvField(text: string, opts: CsvOptions = {}): string {
  const s = opts.neutralizeFormulas && formulaStart.test(text) && !isNumberText(text) ? `'${text}` : text;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Whole rows, each ended by CRLF. */
export function csvRows(rows: readonly (readonly string[])[], opts: CsvOptions = {}): string {
  return rows.map((cells) => (cells.length === 1 && cells[0] === '' ? '""' : cells.map((c) => csvField(c, opts)).join(',')) + '\r\n').join('');
}
