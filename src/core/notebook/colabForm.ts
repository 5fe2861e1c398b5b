// Colab form lines, `NAME = value #@param {type:"string"}`, found and rewritten in place: only the
// value between `=` and `#@param` changes, every other byte of the line stays.
import { ParamError, pyLiteral, typeOfPythonValue, type ParamType } from './pyLiteral';

export interface FormParam {
  name: string;
  type: ParamType;
  /** The value as written in the template (Python source). */
  value: string;
  /** Dropdown choices, when the form declares them. */
  options?: string[];
  allowInput?: boolean;
  /** Where: cell index and line index within the cell's source. */
  cell: number;
  line: number;
}

const formLine = /^(\s*)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*?)(\s*#\s*@param\b(.*))$/;

function parseSpec(spec: string, value: string): { type: ParamType; options?: string[]; allowInput?: boolean } {
  const s = spec.trim();
  const type = /type\s*:\s*["']?(\w+)/.exec(s)?.[1];
  const allowInput = /allow-input\s*:\s*true/.test(s);
  if (s.startsWith('[')) {
    const list = /^\[(.*?)\]/.exec(s)?.[1] ?? '';
    const options = [...list.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^,\s][^,]*)/g)].map((m) => (m[1] ?? m[2] ?? m[3] ?? '').trim());
    const t = (type as ParamType | undefined) ?? (/^["']/.test(value.trim()) ? 'dropdown' : typeOfPythonValue(value));
    return { type: t === 'string' ? 'dropdown' : t, options, allowInput };
  }
  if (type && ['string', 'integer', 'number', 'boolean', 'raw', 'slider', 'date'].includes(type)) return { type: type as ParamType, allowInput };
  return { type: typeOfPythonValue(value) };
}

/** Every form parameter in one cell's source lines. */
export function findFormParams(lines: string[], cell: number): FormParam[] {
  const out: FormParam[] = [];
  lines.forEach((raw, line) => {
    const text = raw.replace(/\r?\n$/, '');
    const m = formLine.exec(text);
    if (!m) return;
    const spec = parseSpec(m[6]!, m[4]!);
    out.push({ name: m[2]!, value: m[4]!, cell, line, ...spec });
  });
  return out;
}

/** The line with `value` (a command-line string) in place of the old value. */
export function rewriteFormLine(raw: string, p: FormParam, value: string): string {
  const eol = /\r?\n$/.exec(raw)?.[0] ?? '';
  const m = formLine.exec(raw.slice(0, raw.length - eol.length))!;
  if (p.options && p.type !== 'raw' && !p.allowInput) {
    const plain = p.options.map((o) => o.replace(/^["']|["']$/g, ''));
    if (!plain.includes(value))
      throw new ParamError(`${p.name} must be one of ${plain.map((o) => JSON.stringify(o)).join(', ')} (the form's dropdown), not ${JSON.stringify(value)}`);
  }
  const quote = /^\s*'/.test(m[4]!) ? "'" : '"';
  const type = p.type === 'dropdown' && p.options && !/^["']/.test(m[4]!.trim()) ? 'raw' : p.type;
  // A raw dropdown's own choices are code the template's author wrote; any other raw value must be one literal.
  const ownChoice = type === 'raw' && p.options?.some((o) => o === value);
  const literal = ownChoice ? value : pyLiteral(p.name, type, value, quote);
  return `${m[1]}${m[2]}${m[3]}${literal}${m[5]}${eol}`;
}
