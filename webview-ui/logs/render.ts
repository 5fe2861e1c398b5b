import { parseAnsi, type AnsiStyle } from '../../src/core/logs/ansi';

const themeColours = [
  'Black',
  'Red',
  'Green',
  'Yellow',
  'Blue',
  'Magenta',
  'Cyan',
  'White',
  'BrightBlack',
  'BrightRed',
  'BrightGreen',
  'BrightYellow',
  'BrightBlue',
  'BrightMagenta',
  'BrightCyan',
  'BrightWhite',
];

function colour(c: number | string): string {
  return typeof c === 'number' ? `var(--vscode-terminal-ansi${themeColours[c]})` : c;
}

function applyStyle(el: HTMLElement, s: AnsiStyle): void {
  const fg = s.inverse ? s.bg : s.fg;
  const bg = s.inverse ? (s.fg ?? 'var(--vscode-editor-foreground)') : s.bg;
  // CSSOM assignments are allowed by the strict CSP (style attributes in markup are not).
  if (fg !== undefined) el.style.color = colour(fg);
  if (bg !== undefined) el.style.backgroundColor = colour(bg);
  if (s.bold) el.style.fontWeight = 'bold';
  if (s.dim) el.style.opacity = '0.7';
  if (s.italic) el.style.fontStyle = 'italic';
  if (s.underline) el.style.textDecoration = 'underline';
}

/** Fills `target` with the line's text as styled spans. Text goes in via textContent: never parsed as HTML. */
export function renderLine(target: HTMLElement, line: string): void {
  target.replaceChildren();
  for (const span of parseAnsi(line)) {
    const hasStyle = Object.keys(span.style).length > 0;
    if (!hasStyle) {
      target.append(document.createTextNode(span.text));
      continue;
    }
    const el = document.createElement('span');
    el.textContent = span.text;
    applyStyle(el, span.style);
    target.append(el);
  }
}
