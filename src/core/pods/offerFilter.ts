// The CLI's offer filter language, after the original broker's (`vram_gb >= 16 & price_per_hour < 0.5`,
// `gpu_type.contains("4090")`):   vram>=24 & price<0.5 & name~4090 & cloud=secure & spot=false
// Clauses are joined by `&` (all must hold). Errors name the column so a typo is easy to find.
import { PodError } from './errors';
import type { PodOffer, StockLevel } from './types';

type Field = 'vram' | 'price' | 'gpuPrice' | 'name' | 'cloud' | 'spot' | 'stock';
type Op = '>=' | '<=' | '>' | '<' | '=' | '!=' | '~' | '!~';

export interface FilterClause {
  field: Field;
  op: Op;
  value: number | string | boolean;
  column: number;
}

const fieldNames: Record<string, Field> = {
  vram: 'vram',
  vram_gb: 'vram',
  memory: 'vram',
  price: 'price',
  price_per_hour: 'price',
  cost: 'price',
  gpu_price: 'gpuPrice',
  price_per_gpu: 'gpuPrice',
  name: 'name',
  gpu: 'name',
  gpu_type: 'name',
  cloud: 'cloud',
  spot: 'spot',
  stock: 'stock',
};
const known = 'vram, price, gpu_price, name, cloud, spot, stock';
const numeric: Field[] = ['vram', 'price', 'gpuPrice'];
const stockOrder: StockLevel[] = ['none', 'low', 'medium', 'high'];

/** A bad filter expression; the message shows the expression with a caret under the column. */
export class OfferFilterError extends PodError {
  constructor(
    readonly expression: string,
    readonly column: number,
    problem: string,
  ) {
    super('bad-input', `bad filter at column ${column}: ${problem}\n  ${expression}\n  ${' '.repeat(column - 1)}^`);
  }
}

export function parseOfferFilter(expression: string): FilterClause[] {
  const s = expression;
  let i = 0;
  const fail = (at: number, problem: string): never => {
    throw new OfferFilterError(s, at + 1, problem);
  };
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const readWord = () => {
    const start = i;
    while (i < s.length && /[A-Za-z0-9_.$-]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  // A name may contain spaces (`name~RTX 4090`): unquoted, it runs to the next `&`.
  const readValue = (toAmpersand = false): { text: string; at: number } => {
    skipSpace();
    const at = i;
    const q = s[i];
    if (q === '"' || q === "'") {
      const end = s.indexOf(q, i + 1);
      if (end < 0) fail(at, 'unterminated quote');
      i = end + 1;
      return { text: s.slice(at + 1, end), at };
    }
    while (i < s.length && !(toAmpersand ? /[&]/ : /[\s&)]/).test(s[i]!)) i++;
    if (i === at) fail(at, 'expected a value');
    return { text: s.slice(at, i).trimEnd(), at };
  };

  const clauses: FilterClause[] = [];
  skipSpace();
  if (i >= s.length) return clauses;
  for (;;) {
    skipSpace();
    const fieldAt = i;
    let word = readWord();
    if (!word) fail(fieldAt, `expected a field (${known})`);
    // `name.contains("4090")`, the original broker's spelling of `name~4090`.
    let contains = false;
    const dot = word.indexOf('.');
    if (dot > 0 && word.slice(dot) === '.contains' && s[i] === '(') {
      word = word.slice(0, dot);
      contains = true;
    }
    const field = fieldNames[word.toLowerCase()];
    if (!field) fail(fieldAt, `unknown field "${word}" (known: ${known})`);
    let op: Op;
    let value: { text: string; at: number };
    if (contains) {
      i++; // (
      value = readValue();
      skipSpace();
      if (s[i] !== ')') fail(i, 'expected ")"');
      i++;
      op = '~';
    } else {
      skipSpace();
      const opAt = i;
      const m = /^(>=|<=|==|!=|!~|>|<|=|~)/.exec(s.slice(i));
      if (!m) {
        // A bare `spot` means spot=true.
        if (field === 'spot' && (i >= s.length || s[i] === '&')) {
          clauses.push({ field, op: '=', value: true, column: fieldAt + 1 });
          if (!nextClause()) break;
          continue;
        }
        fail(opAt, `expected an operator after "${word}" (>=, <=, >, <, =, !=, ~, !~)`);
      }
      op = (m![1] === '==' ? '=' : m![1]) as Op;
      i += m![1]!.length;
      value = readValue(field === 'name');
    }
    clauses.push({ field: field!, op, value: convert(field!, op, value!), column: fieldAt + 1 });
    if (!nextClause()) break;
  }
  return clauses;

  function nextClause(): boolean {
    skipSpace();
    if (i >= s.length) return false;
    if (s[i] !== '&') fail(i, `expected "&" between clauses, found "${s[i]}"`);
    i += s[i + 1] === '&' ? 2 : 1;
    skipSpace();
    if (i >= s.length) fail(i, 'expected a clause after "&"');
    return true;
  }

  function convert(field: Field, op: Op, v: { text: string; at: number }): number | string | boolean {
    const ordered = op === '>=' || op === '<=' || op === '>' || op === '<';
    if (numeric.includes(field)) {
      if (op === '~' || op === '!~') fail(v.at, `"${op}" compares text; use >=, <, = with a number for ${field}`);
      const n = Number(v.text.replace(/^\$/, '').replace(/gb$/i, ''));
      if (!Number.isFinite(n)) fail(v.at, `"${v.text}" is not a number`);
      return n;
    }
    if (field === 'name') {
      if (ordered) fail(v.at, 'name takes =, !=, ~ (contains) or !~');
      return v.text;
    }
    if (field === 'cloud') {
      const c = v.text.toUpperCase();
      if (c !== 'SECURE' && c !== 'COMMUNITY') fail(v.at, `cloud is SECURE or COMMUNITY, not "${v.text}"`);
      if (op !== '=' && op !== '!=') fail(v.at, 'cloud takes = or !=');
      return c;
    }
    if (field === 'stock') {
      const level = v.text.toLowerCase() as StockLevel;
      if (!stockOrder.includes(level)) fail(v.at, `stock is one of ${stockOrder.join(', ')}, not "${v.text}"`);
      if (op === '~' || op === '!~') fail(v.at, 'stock takes =, !=, >=, <=, >, <');
      return level;
    }
    // spot
    const b = v.text.toLowerCase();
    if (b !== 'true' && b !== 'false') fail(v.at, `spot is true or false, not "${v.text}"`);
    if (op !== '=' && op !== '!=') fail(v.at, 'spot takes = or !=');
    return b === 'true';
  }
}

function fieldValue(o: PodOffer, field: Field): number | string | boolean {
  switch (field) {
    case 'vram':
      return o.vramGb;
    case 'price':
      return o.pricePerHour;
    case 'gpuPrice':
      return o.pricePerGpu;
    case 'name':
      return `${o.gpuName} ${o.gpuTypeId}`;
    case 'cloud':
      return o.cloud;
    case 'spot':
      return o.spot;
    case 'stock':
      return stockOrder.indexOf(o.stock);
  }
}

function test(c: FilterClause, o: PodOffer): boolean {
  let actual = fieldValue(o, c.field);
  let want = c.value;
  if (c.field === 'stock') want = stockOrder.indexOf(want as StockLevel);
  if (c.field === 'name') {
    const hay = String(actual).toLowerCase();
    const needle = String(want).toLowerCase();
    // `=` on a name matches the display name or the type id exactly, ignoring case.
    const equal = o.gpuName.toLowerCase() === needle || o.gpuTypeId.toLowerCase() === needle;
    if (c.op === '~') return hay.includes(needle);
    if (c.op === '!~') return !hay.includes(needle);
    return c.op === '=' ? equal : !equal;
  }
  if (typeof actual === 'number' && typeof want === 'number') {
    // Prices arrive as floats (0.69 + 0.00000001): compare with a tolerance below a tenth of a cent.
    const eps = 1e-6;
    switch (c.op) {
      case '>=':
        return actual >= want - eps;
      case '<=':
        return actual <= want + eps;
      case '>':
        return actual > want + eps;
      case '<':
        return actual < want - eps;
      case '=':
        return Math.abs(actual - want) <= eps;
      case '!=':
        return Math.abs(actual - want) > eps;
      default:
        return false;
    }
  }
  actual = String(actual);
  want = String(want);
  return c.op === '=' ? actual === want : actual !== want;
}

export function matchesOfferFilter(offer: PodOffer, clauses: readonly FilterClause[]): boolean {
  return clauses.every((c) => test(c, offer));
}
