// ANSI escape handling for Live Logs, shared by the extension host (filtering) and the webview
// (rendering). Pure: no DOM, no vscode.

export interface AnsiStyle {
  /** 0-15: a theme colour (`--vscode-terminal-ansi*`); a string: an explicit `rgb(...)`. */
  fg?: number | string;
  bg?: number | string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface AnsiSpan {
  text: string;
  style: AnsiStyle;
}

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), two-byte escapes, and a lone ESC (a sequence
// cut off mid-line), which must never reach the screen raw.
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const escapeRe = /\x1b\[([0-9;:?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x1b/g;

/** The text a terminal would finally show on the line: carriage returns overwrite (tqdm, pip). */
function collapseCarriageReturns(line: string): string {
  if (!line.includes('\r')) return line;
  const parts = line.split('\r').filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? '';
}

export function stripAnsi(line: string): string {
  return collapseCarriageReturns(line).replace(escapeRe, '');
}

function cube(i: number): string {
  if (i >= 232) {
    const v = 8 + (i - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const c = i - 16;
  const lv = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${lv(Math.floor(c / 36))},${lv(Math.floor(c / 6) % 6)},${lv(c % 6)})`;
}

/** Reads an extended colour (`38;5;n` or `38;2;r;g;b`) starting at params[i]; returns [colour, next index]. */
function extendedColour(params: number[], i: number): [number | string | undefined, number] {
  const mode = params[i + 1];
  if (mode === 5 && params[i + 2] !== undefined) {
    const n = params[i + 2]!;
    return [n < 16 ? n : cube(n), i + 3];
  }
  if (mode === 2 && params[i + 4] !== undefined) return [`rgb(${params[i + 2]},${params[i + 3]},${params[i + 4]})`, i + 5];
  return [undefined, i + 1];
}

function applySgr(style: AnsiStyle, raw: string): AnsiStyle {
  const params = raw === '' ? [0] : raw.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  let s = { ...style };
  for (let i = 0; i < params.length;) {
    const p = params[i]!;
    if (p === 0) s = {};
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 7) s.inverse = true;
    else if (p === 22) s.bold = s.dim = false;
    else if (p === 23) s.italic = false;
    else if (p === 24) s.underline = false;
    else if (p === 27) s.inverse = false;
    else if (p >= 30 && p <= 37) s.fg = p - 30;
    else if (p === 39) delete s.fg;
    else if (p >= 40 && p <= 47) s.bg = p - 40;
    else if (p === 49) delete s.bg;
    else if (p >= 90 && p <= 97) s.fg = p - 90 + 8;
    else if (p >= 100 && p <= 107) s.bg = p - 100 + 8;
    else if (p === 38 || p === 48) {
      const [c, next] = extendedColour(params, i);
      if (c !== undefined) s[p === 38 ? 'fg' : 'bg'] = c;
      i = next;
      continue;
    }
    i++;
  }
  return s;
}

/** Splits a line into styled spans; non-SGR escapes are dropped. */
export function parseAnsi(line: string, initial: AnsiStyle = {}): AnsiSpan[] {
  const text = collapseCarriageReturns(line);
  const spans: AnsiSpan[] = [];
  let style = initial;
  let last = 0;
  escapeRe.lastIndex = 0;
  for (let m = escapeRe.exec(text); m; m = escapeRe.exec(text)) {
    if (m.index > last) spans.push({ text: text.slice(last, m.index), style });
    if (m[2] === 'm') style = applySgr(style, m[1] ?? '');
    last = escapeRe.lastIndex;
  }
  if (last < text.length) spans.push({ text: text.slice(last), style });
  return spans;
}
