// Python `str.format(**ctx)` for the config's templates: `{name}`, `{name[key]}`, `{name!r}`,
// `{name:>8}`, `{name:.2f}`, nested `{name:{width}}`, and `{{`/`}}` for literal braces. What Python
// would reject is rejected with its reason; format types Airlock does not implement are named.
import { formatFixed } from '../analysis/pyFloat';
import { isDict, PyFloat, PyInt, pyRepr, pyStr, type PyValue } from './pyValue';

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  /** The variable that was missing, when that is the problem. */
  constructor(
    message: string,
    readonly missing?: string,
  ) {
    super(message);
  }
}

export function formatPy(template: string, ctx: ReadonlyMap<string, PyValue>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      out += c;
      i += 2;
    } else if (c === '}') throw new TemplateError("Single '}' encountered in format string");
    else if (c === '{') {
      let depth = 1;
      let j = i + 1;
      for (; j < template.length && depth; j++) depth += template[j] === '{' ? 1 : template[j] === '}' ? -1 : 0;
      if (depth) throw new TemplateError(j === i + 1 ? "Single '{' encountered in format string" : "expected '}' before end of string");
      out += replaceField(template.slice(i + 1, j - 1), ctx);
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function replaceField(field: string, ctx: ReadonlyMap<string, PyValue>): string {
  const m = /^([^.[!:]*)((?:\.[^.[!:]+|\[[^\]]+\])*)(?:!([rsa]))?(?::([\s\S]*))?$/.exec(field);
  if (!m) throw new TemplateError(`cannot parse the replacement field {${field}}`);
  const [, name = '', access = '', conversion, rawSpec = ''] = m;
  if (name === '' || /^\d+$/.test(name)) throw new TemplateError(`positional field {${field}} has no value: name the variable, as in {batch_size}`);
  if (!ctx.has(name)) throw new TemplateError(`Missing template variable '${name}'`, name);
  let value = ctx.get(name)!;
  for (const part of access.match(/\.[^.[]+|\[[^\]]+\]/g) ?? []) {
    if (part.startsWith('.')) throw new TemplateError(`attribute access {${field}} is not supported`);
    const key = part.slice(1, -1);
    if (Array.isArray(value) && /^\d+$/.test(key)) {
      if (Number(key) >= value.length) throw new TemplateError(`{${field}}: list index out of range`);
      value = value[Number(key)]!;
    } else if (isDict(value) && value.has(key)) value = value.get(key)!;
    else throw new TemplateError(`{${field}}: no item ${key} in ${pyRepr(value)}`);
  }
  if (conversion === 'r' || conversion === 'a') value = pyRepr(value);
  else if (conversion === 's') value = pyStr(value);
  return formatValue(value, formatPy(rawSpec, ctx), field);
}

/** `format(value, spec)` for the spec mini-language: [[fill]align][sign][0][width][,|_][.precision][type]. */
function formatValue(value: PyValue, spec: string, field: string): string {
  if (spec === '') return pyStr(value);
  const m = /^(?:([\s\S])?([<>=^]))?([-+ ])?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!m) throw new TemplateError(`{${field}}: Invalid format specifier '${spec}'`);
  const [, fillCh, alignCh, sign = '-', zero, widthText, grouping, precText, type] = m;
  const width = widthText ? Number(widthText) : 0;
  const prec = precText === undefined ? undefined : Number(precText);
  const isNum = value instanceof PyInt || value instanceof PyFloat || typeof value === 'boolean';
  let body: string;
  let negative = false;
  if (typeof value === 'string' && (type === undefined || type === 's')) {
    if (sign !== '-' || grouping) throw new TemplateError(`{${field}}: sign and grouping are not allowed for a string`);
    body = prec === undefined ? value : [...value].slice(0, prec).join('');
  } else if (!isNum) {
    throw new TemplateError(
      `{${field}}: unsupported format string passed to ${value === null ? 'NoneType' : typeof value === 'string' ? 'str' : Array.isArray(value) ? 'list' : 'dict'}.__format__`,
    );
  } else {
    const num = value instanceof PyFloat ? value.value : value instanceof PyInt ? value.value : BigInt(value ? 1 : 0);
    const t = type ?? (typeof num === 'bigint' ? 'd' : undefined);
    if (t === undefined) {
      if (prec !== undefined) throw new TemplateError(`{${field}}: a float precision without a type (general format) is not supported; use :.${prec}f`);
      negative = (num as number) < 0 || Object.is(num, -0);
      body = pyStr(value instanceof PyFloat ? new PyFloat(Math.abs(value.value)) : value);
    } else if ('dbxXo'.includes(t)) {
      if (typeof num !== 'bigint') throw new TemplateError(`{${field}}: Unknown format code '${t}' for object of type 'float'`);
      negative = num < 0n;
      const abs = negative ? -num : num;
      body = abs.toString(t === 'd' ? 10 : t === 'b' ? 2 : t === 'o' ? 8 : 16);
      if (t === 'X') body = body.toUpperCase();
    } else if ('fF%'.includes(t)) {
      const x = Number(num) * (t === '%' ? 100 : 1);
      negative = x < 0 || Object.is(x, -0);
      body = formatFixed(Math.abs(x), prec ?? 6) + (t === '%' ? '%' : '');
    } else throw new TemplateError(`{${field}}: format type '${t}' is not supported by Airlock's templating (use d, f, %, x, o, b or s)`);
    if (grouping) body = body.replace(/^\d+/, (digits) => digits.replace(/\B(?=(\d{3})+$)/g, grouping));
  }
  const signText = negative ? '-' : sign === '+' ? (isNum ? '+' : '') : sign === ' ' && isNum ? ' ' : '';
  const fill = fillCh ?? (zero && !alignCh ? '0' : ' ');
  const align = alignCh ?? (zero ? '=' : isNum ? '>' : '<');
  const padN = Math.max(0, width - [...(signText + body)].length);
  if (align === '=') return signText + fill.repeat(padN) + body;
  if (align === '<') return signText + body + fill.repeat(padN);
  if (align === '^') return fill.repeat(Math.floor(padN / 2)) + signText + body + fill.repeat(padN - Math.floor(padN / 2));
  return fill.repeat(padN) + signText + body;
}
