// Python literals for Colab form values: the declared type decides how a command-line string
// becomes source code (a string is quoted and escaped, an integer must be one, booleans are
// True/False, a raw value must be one Python literal). Errors say which parameter and why.
import { checkPythonLiteral } from './pyLiteralParse';

export class ParamError extends Error {
  override readonly name = 'ParamError';
}

/** By name, not class: render also runs inside the separately bundled Colab module. */
export function isParamError(err: unknown): err is ParamError {
  return err instanceof Error && err.name === 'ParamError';
}

export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'raw' | 'slider' | 'date' | 'dropdown';

/** A Python string literal, keeping the quote style the template used. */
export function pyString(value: string, quote: '"' | "'" = '"'): string {
  const body = value
    .replace(/\\/g, '\\\\')
    .replace(quote === '"' ? /"/g : /'/g, `\\${quote}`)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    // Other control characters as \xNN so the cell stays one line.
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`); // eslint-disable-line no-control-regex
  return `${quote}${body}${quote}`;
}

export function pyBool(name: string, value: string): string {
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return 'True';
  if (['false', '0', 'no', 'off'].includes(v)) return 'False';
  throw new ParamError(`${name} is a boolean: use true or false, not "${value}"`);
}

export function pyInt(name: string, value: string): string {
  const v = value.trim().replace(/_/g, '');
  if (!/^[+-]?\d+$/.test(v)) throw new ParamError(`${name} is an integer, not "${value}"`);
  return String(BigInt(v));
}

export function pyNumber(name: string, value: string): string {
  const v = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) throw new ParamError(`${name} is a number, not "${value}"`);
  return v;
}

/**
 * A raw parameter (papermill `None`/list defaults, a dropdown without quotes) goes into the cell as
 * code, so only one Python literal is accepted; `EXTRA=1\nimport os; …` would otherwise run.
 */
export function pyRaw(name: string, value: string): string {
  const v = value.trim();
  const check = checkPythonLiteral(v);
  if (!check.ok)
    throw new ParamError(
      `${name} takes one Python literal (a number, string, None, True/False, or a list/tuple/dict of them), not ${JSON.stringify(value)}: ${check.reason}`,
    );
  return v;
}

/** The literal for `value` under `type`; `quote` is the template's quote style for strings. */
export function pyLiteral(name: string, type: ParamType, value: string, quote: '"' | "'" = '"'): string {
  switch (type) {
    case 'string':
    case 'date':
      return pyString(value, quote);
    case 'integer':
      return pyInt(name, value);
    case 'number':
    case 'slider':
      return /^[+-]?\d+$/.test(value.trim()) && type === 'slider' ? pyInt(name, value) : pyNumber(name, value);
    case 'boolean':
      return pyBool(name, value);
    case 'raw':
      return pyRaw(name, value);
    case 'dropdown':
      return pyString(value, quote);
  }
}

/** Guesses a type from an existing Python assignment's value (papermill parameter cells). */
export function typeOfPythonValue(src: string): ParamType {
  const v = src.trim();
  if (/^(True|False)$/.test(v)) return 'boolean';
  if (/^[+-]?\d+$/.test(v)) return 'integer';
  if (/^[+-]?(\d+\.\d*|\.\d+|\d+[eE][+-]?\d+)/.test(v)) return 'number';
  if (/^[rbuf]*["']/i.test(v)) return 'string';
  return 'raw';
}
