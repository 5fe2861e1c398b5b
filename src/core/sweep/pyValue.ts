// Config values as Python's json.load sees them, because the original renders them with str.format:
// `1` and `1.0` differ (ints print as "1", floats as repr "1.0"), ints never lose precision, and
// objects keep key order (a Map, so "10" does not jump ahead of "a" as in a JS object).
import { pyFloatRepr, pyIntText } from '../analysis/pyFloat';

export class PyInt {
  constructor(readonly value: bigint) {}
}
export class PyFloat {
  constructor(readonly value: number) {}
}
export type PyValue = string | boolean | null | PyInt | PyFloat | PyValue[] | PyDict;
export type PyDict = Map<string, PyValue>;

export const isDict = (v: PyValue | undefined): v is PyDict => v instanceof Map;

/** Python `str(v)`. */
export function pyStr(v: PyValue): string {
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

/** Python `repr(v)`. */
export function pyRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return reprString(v);
  if (v instanceof PyInt) return v.value.toString();
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${[...v].map(([k, x]) => `${reprString(k)}: ${pyRepr(x)}`).join(', ')}}`;
}

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** Thrown where Python's int() would raise; the caller adds where (case, field). */
export class PyIntError extends Error {
  override readonly name = 'PyIntError';
}

/** Python `int(v)` of a JSON value: floats truncate, bools are 0/1, text must be an integer literal. */
export function pyInt(v: PyValue): bigint {
  if (v instanceof PyInt) return v.value;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (v instanceof PyFloat) {
    if (!Number.isFinite(v.value)) throw new PyIntError(`cannot convert float ${pyFloatRepr(v.value)} to integer`);
    return BigInt(Math.trunc(v.value));
  }
  if (typeof v === 'string') {
    const n = pyIntText(v);
    if (n === undefined) throw new PyIntError(`invalid literal for int() with base 10: ${reprString(v)}`);
    return n;
  }
  throw new PyIntError(`int() argument must be a string or a number, not ${v === null ? "'NoneType'" : Array.isArray(v) ? "'list'" : "'dict'"}`);
}

/** collect_and_analyze.py's `_parse_int_like`: int(str(v)), or `fallback` when Python would raise. */
export function parseIntLike(v: PyValue | undefined, fallback: bigint): bigint {
  if (v === undefined) return fallback;
  return pyIntText(pyStr(v)) ?? fallback;
}

/** Python truthiness (the original tests `if merged.get("ssh_options")`, `bool(reuse_dht)`). */
export function pyTruthy(v: PyValue | undefined): boolean {
  if (v === undefined || v === null || v === false || v === '') return false;
  if (v instanceof PyInt) return v.value !== 0n;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return true;
}

/** `json.dumps(v, indent=2)` (ensure_ascii, ", "/": " separators) for config_used.json. */
export function pyJsonDumps(v: PyValue, indent = 2, level = 0): string {
  const pad = (n: number) => '\n' + ' '.repeat(indent * n);
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return jsonString(v);
  if (v instanceof PyInt) return v.value.toString();
  if (v instanceof PyFloat) return Number.isNaN(v.value) ? 'NaN' : !Number.isFinite(v.value) ? (v.value > 0 ? 'Infinity' : '-Infinity') : pyFloatRepr(v.value);
  const items = Array.isArray(v)
    ? v.map((x) => pyJsonDumps(x, indent, level + 1))
    : [...v].map(([k, x]) => `${jsonString(k)}: ${pyJsonDumps(x, indent, level + 1)}`);
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  if (!items.length) return open + close;
  return open + items.map((s) => pad(level + 1) + s).join(',') + pad(level) + close;
}

function jsonString(s: string): string {
  const esc: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = s.charCodeAt(i);
    out += esc[ch] ?? (c < 0x20 || c > 0x7e ? '\\u' + c.toString(16).padStart(4, '0') : ch);
  }
  return out + '"';
}
