// Checks that a string is exactly ONE Python literal, as `ast.literal_eval` accepts: numbers (with
// sign, underscores, hex/octal/binary, floats, imaginary), strings and bytes (any prefix but f —
// an f-string runs code), None/True/False/`...`, and tuples, lists, sets and dicts of literals.
// A "raw" notebook parameter is pasted into code as is, so anything else (a name, a call, a second
// statement after a newline or `;`) would run in the kernel: it is refused, never executed.

export interface LiteralCheck {
  ok: boolean;
  /** Why not, with the 0-based offset where parsing stopped. */
  reason?: string;
}

const number = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?)/;
const keyword = /^(?:(?:None|True|False)(?![A-Za-z0-9_])|\.\.\.)/;
const stringStart = /^(?:[rR][bB]?|[bB][rR]?|[uU])?(?:'''|"""|'|")/;

export function checkPythonLiteral(src: string): LiteralCheck {
  let i = 0;
  const fail = (why: string): never => {
    throw new LiteralSyntax(`${why} at column ${i + 1}`);
  };
  const ws = () => {
    while (src[i] === ' ' || src[i] === '\t') i++;
  };
  const rest = () => src.slice(i);
  const str = (): void => {
    const m = stringStart.exec(rest())!;
    const prefix = m[0].replace(/['"]+$/, '');
    const quote = m[0].slice(prefix.length);
    i += m[0].length;
    for (;;) {
      if (i >= src.length) fail(`unterminated string`);
      if (src.startsWith(quote, i)) {
        i += quote.length;
        return;
      }
      const c = src[i]!;
      if ((c === '\n' || c === '\r') && quote.length === 1) fail('newline inside a string');
      // A backslash always takes the next character along (in raw strings too: r"\"" is one string).
      i += c === '\\' ? 2 : 1;
    }
  };
  const seq = (close: string, dict: boolean | 'maybe'): void => {
    // After the opening bracket; `dict: 'maybe'` decides on the first element ({} and {a: b} vs {a}).
    ws();
    let isDict = dict;
    while (src[i] !== close) {
      value();
      ws();
      if (isDict === 'maybe') isDict = src[i] === ':';
      if (isDict) {
        if (src[i] !== ':') fail('expected ":" in a dict');
        i++;
        value();
        ws();
      }
      if (src[i] === ',') {
        i++;
        ws();
        continue;
      }
      if (src[i] !== close) fail(`expected "," or "${close}"`);
    }
    i++;
  };
  const value = (): void => {
    ws();
    const r = rest();
    if (r.startsWith('(')) return (i++, seq(')', false));
    if (r.startsWith('[')) return (i++, seq(']', false));
    if (r.startsWith('{')) return (i++, seq('}', 'maybe'));
    if (stringStart.test(r)) {
      str();
      // Adjacent string literals concatenate ("a" "b"), as in Python.
      for (ws(); stringStart.test(rest()); ws()) str();
      return;
    }
    const k = keyword.exec(r);
    if (k) return void (i += k[0].length);
    let signed = false;
    while (src[i] === '-' || src[i] === '+') {
      i++;
      signed = true;
      ws();
    }
    const m = number.exec(rest());
    if (!m || !m[0]) fail(signed ? 'expected a number after the sign' : 'not a literal (a name, call or expression)');
    i += m![0].length;
    if (/^[A-Za-z0-9_]/.test(rest())) fail('not a literal');
    // A complex literal: 1+2j.
    ws();
    if ((src[i] === '+' || src[i] === '-') && /^[+-]\s*[\d.][\d_.eE+-]*[jJ]/.test(rest())) {
      i++;
      ws();
      i += number.exec(rest())![0].length;
    }
  };
  try {
    if (/[\r\n]/.test(src)) fail('a line break (the value must be one line)');
    value();
    ws();
    if (i < src.length) fail(`unexpected ${JSON.stringify(src.slice(i, i + 12))} after the literal`);
    return { ok: true };
  } catch (err) {
    if (err instanceof LiteralSyntax) return { ok: false, reason: err.message };
    throw err;
  }
}

class LiteralSyntax extends Error {}
