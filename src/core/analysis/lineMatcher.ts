// A fast path for the log regexes: the pattern is compiled into a sequence of literals and greedy
// runs that is matched once, without backtracking, at the first occurrence of its leading tag, and
// yields group spans (no substrings, no match objects). Taking the preferred choice at every point
// (longest run, optional part taken) and succeeding is, by definition, the first path a
// backtracking engine accepts; and no match can start before the first tag. So whenever the fast
// path succeeds its groups are the regex's. When it fails, the real regex (with indices) decides.

import { pyFloatAt } from './pyFloat';

/** A character class as a table of the ASCII chars it holds, and what it does above ASCII. */
interface Cls {
  ascii: Uint8Array;
  high: 'none' | 'nonspace' | 'all';
}
type Node =
  | { t: 'lit'; s: string }
  | { t: 'run'; cls: Cls; min: 0 | 1; max: 1 | typeof Infinity }
  | { t: 'group'; index: number; body: Node[] }
  | { t: 'opt'; body: Node[] }
  | { t: 'end' };

const table = (has: (c: number) => boolean) => Uint8Array.from({ length: 128 }, (_, c) => (has(c) ? 1 : 0));
// JS's \s: what \S excludes (ASCII whitespace, NBSP, the Unicode spaces, line separators, BOM).
const space = (c: number) =>
  (c >= 9 && c <= 13) ||
  c === 32 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;

const digit: Cls = { ascii: table((c) => c >= 48 && c <= 57), high: 'none' };
const nonSpace: Cls = { ascii: table((c) => !space(c)), high: 'nonspace' };
const anyChar: Cls = { ascii: table(() => true), high: 'all' };

function charClass(body: string): Cls {
  const ranges: [number, number][] = [];
  for (let i = 0; i < body.length; i++) {
    const a = body.charCodeAt(i);
    if (body[i + 1] === '-' && i + 2 < body.length) {
      ranges.push([a, body.charCodeAt(i + 2)]);
      i += 2;
    } else ranges.push([a, a]);
  }
  if (ranges.some(([, hi]) => hi >= 128)) throw new Error('lineMatcher: non-ASCII class');
  return { ascii: table((c) => ranges.some(([lo, hi]) => c >= lo && c <= hi)), high: 'none' };
}

/** Parses the subset of regex syntax the log patterns use; throws on anything else. */
function parse(src: string): { nodes: Node[]; groups: Record<string, number> } {
  let i = 0;
  let groupCount = 0;
  const groups: Record<string, number> = {};
  const seq = (): Node[] => {
    const out: Node[] = [];
    while (i < src.length && src[i] !== ')') {
      const c = src[i]!;
      let atom: Node;
      if (c === '\\') {
        const e = src[i + 1]!;
        i += 2;
        if (e === 'd') atom = { t: 'run', cls: digit, min: 1, max: 1 };
        else if (e === 'S') atom = { t: 'run', cls: nonSpace, min: 1, max: 1 };
        else if ('[]|().-'.includes(e)) atom = { t: 'lit', s: e };
        else throw new Error(`lineMatcher: unsupported escape \\${e}`);
      } else if (c === '[') {
        const close = src.indexOf(']', i);
        atom = { t: 'run', cls: charClass(src.slice(i + 1, close)), min: 1, max: 1 };
        i = close + 1;
      } else if (c === '.') {
        atom = { t: 'run', cls: anyChar, min: 1, max: 1 };
        i++;
      } else if (c === '$') {
        atom = { t: 'end' };
        i++;
      } else if (c === '(') {
        const named = /^\(\?<([A-Za-z0-9_]+)>/.exec(src.slice(i));
        if (named) {
          i += named[0].length;
          const index = ++groupCount;
          groups[named[1]!] = index;
          atom = { t: 'group', index, body: seq() };
        } else if (src.startsWith('(?:', i)) {
          i += 3;
          atom = { t: 'opt', body: seq() };
        } else throw new Error('lineMatcher: unnamed group');
        i++; // ')'
        if (atom.t === 'opt') {
          if (src[i] !== '?') throw new Error('lineMatcher: (?:...) must be optional');
          i++;
        }
      } else if ('*+?{|^'.includes(c)) throw new Error(`lineMatcher: unsupported ${c}`);
      else {
        atom = { t: 'lit', s: c };
        i++;
      }
      const q = src[i];
      if (atom.t === 'lit' && q === '?') {
        const ch = atom.s.charCodeAt(0);
        if (ch >= 128) throw new Error('lineMatcher: non-ASCII literal');
        atom = { t: 'run', cls: { ascii: table((x) => x === ch), high: 'none' }, min: 0, max: 1 };
        i++;
      } else if (atom.t === 'run' && (q === '+' || q === '?')) {
        atom = q === '+' ? { ...atom, max: Infinity } : { ...atom, min: 0 };
        i++;
      } else if (q === '+' || q === '?' || q === '*') throw new Error(`lineMatcher: quantifier on ${atom.t}`);
      const last = out[out.length - 1];
      if (atom.t === 'lit' && last?.t === 'lit') last.s += atom.s;
      else out.push(atom);
    }
    return out;
  };
  const nodes = seq();
  if (i !== src.length) throw new Error('lineMatcher: unbalanced )');
  return { nodes, groups };
}

const LIT = 0,
  RUN = 1,
  OPEN = 2,
  CLOSE = 3,
  OPT = 4,
  END = 5;
/** One instruction; every op has the same shape, so the matcher's loop stays monomorphic. */
interface Op {
  k: number;
  s: string;
  tab: Uint8Array;
  high: number;
  min: number;
  max: number;
  g: number;
  skip: number;
}
const noTab = new Uint8Array(128);

/** The node tree as a flat program (an optional part becomes OPT + body; OPT.skip is the last op of the body). */
function flatten(nodes: readonly Node[], out: Op[] = []): Op[] {
  const op = (o: Partial<Op>): Op => ({ k: LIT, s: '', tab: noTab, high: 0, min: 0, max: 0, g: 0, skip: 0, ...o });
  for (const n of nodes) {
    if (n.t === 'lit') out.push(op({ k: LIT, s: n.s }));
    else if (n.t === 'run')
      out.push(op({ k: RUN, tab: n.cls.ascii, high: n.cls.high === 'none' ? 0 : n.cls.high === 'nonspace' ? 1 : 2, min: n.min, max: n.max }));
    else if (n.t === 'group') {
      out.push(op({ k: OPEN, g: n.index }));
      flatten(n.body, out);
      out.push(op({ k: CLOSE, g: n.index }));
    } else if (n.t === 'opt') {
      const lead = n.body[0];
      if (lead?.t !== 'lit') throw new Error('lineMatcher: an optional part must start with a literal');
      const at = out.push(op({ k: OPT, s: lead.s })) - 1;
      flatten(n.body, out);
      out[at]!.skip = out.length - 1;
    } else out.push(op({ k: END }));
  }
  return out;
}

export class LineMatcher {
  readonly groups: Readonly<Record<string, number>>;
  /** spans[2g], spans[2g+1]: start and end of group g of the last match; -1 when it did not take part. */
  readonly spans: Int32Array;
  private readonly prog: Op[];
  private readonly starts: Int32Array;
  private readonly tag: string;
  private readonly fallback: RegExp;

  constructor(re: RegExp) {
    const { nodes, groups } = parse(re.source);
    if (nodes[0]?.t !== 'lit') throw new Error('lineMatcher: a pattern must start with a literal tag');
    this.prog = flatten(nodes);
    this.starts = new Int32Array(Object.keys(groups).length + 1);
    this.groups = groups;
    this.tag = nodes[0].s;
    this.spans = new Int32Array(2 * (Object.keys(groups).length + 1));
    this.fallback = new RegExp(re.source, `${re.flags.replace('g', '')}d`);
  }

  /** Whether `text` matches (search anywhere, as re.search); the group spans are in `spans`. */
  match(text: string): boolean {
    const at = text.indexOf(this.tag);
    if (at < 0) return false;
    this.spans.fill(-1);
    if (this.run(text, at) >= 0) return true;
    this.spans.fill(-1);
    const m = this.fallback.exec(text);
    if (!m) return false;
    const ind = m.indices!;
    for (let g = 1; g < ind.length; g++) {
      const span = ind[g];
      if (span) {
        this.spans[2 * g] = span[0];
        this.spans[2 * g + 1] = span[1];
      }
    }
    return true;
  }

  /** Matches the program at `pos` taking every preferred choice; the end position, or -1. */
  private run(text: string, pos: number): number {
    const prog = this.prog;
    const starts = this.starts;
    const spans = this.spans;
    const len = text.length;
    for (let i = 0; i < prog.length; i++) {
      const op = prog[i]!;
      switch (op.k) {
        case LIT:
          if (!text.startsWith(op.s, pos)) return -1;
          pos += op.s.length;
          break;
        case RUN: {
          const tab = op.tab;
          let k = 0;
          while (k < op.max && pos < len) {
            const c = text.charCodeAt(pos);
            if (c < 128 ? tab[c] !== 1 : op.high === 0 || (op.high === 1 && space(c))) break;
            pos++;
            k++;
          }
          if (k < op.min) return -1;
          break;
        }
        case OPEN:
          starts[op.g] = pos;
          break;
        case CLOSE:
          spans[2 * op.g] = starts[op.g]!;
          spans[2 * op.g + 1] = pos;
          break;
        case OPT:
          // Skipped only when its leading literal is absent: then no path through it exists. If it
          // starts but fails later, a backtracking engine might find another path: the regex decides.
          if (!text.startsWith(op.s, pos)) i = op.skip;
          break;
        case END:
          if (pos !== len) return -1;
          break;
      }
    }
    return pos;
  }

  /** Group `name` of the last match as Python's float() (the group must have matched). */
  float(text: string, name: string): number {
    const g = this.groups[name]!;
    return pyFloatAt(text, this.spans[2 * g]!, this.spans[2 * g + 1]!);
  }

  /** An optional group as a float, or undefined when it did not take part in the match. */
  optFloat(text: string, name: string): number | undefined {
    const g = this.groups[name]!;
    return this.spans[2 * g]! < 0 ? undefined : pyFloatAt(text, this.spans[2 * g]!, this.spans[2 * g + 1]!);
  }

  /** The text of group `name` of the last match (undefined when it did not take part). */
  text(text: string, name: string): string | undefined {
    const g = this.groups[name]!;
    const s = this.spans[2 * g]!;
    return s < 0 ? undefined : text.slice(s, this.spans[2 * g + 1]);
  }
}
