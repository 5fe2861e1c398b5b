// Drive v3 `q` search terms, the common subset: `name = 'x'`, `name contains 'x'`,
// `mimeType = '…'` / `!=`, `'<id>' in parents`, `trashed = false`, `modifiedTime > '…'`, joined with
// `and` / `or` / `not` and parentheses. Anything else is rejected the way Drive rejects it (HTTP 400
// "Invalid Value" on q), so a client that writes a bad query fails here too.
import type { FakeFile } from './store';

export class QueryError extends Error {}

type Token = { kind: 'str'; v: string } | { kind: 'word'; v: string } | { kind: 'op'; v: string } | { kind: 'paren'; v: string };
type Pred = (f: FakeFile) => boolean;

function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let v = '';
      i++;
      while (i < q.length && q[i] !== "'") {
        if (q[i] === '\\' && i + 1 < q.length) i++;
        v += q[i++];
      }
      if (q[i] !== "'") throw new QueryError('unterminated string');
      i++;
      out.push({ kind: 'str', v });
    } else if (c === '(' || c === ')') {
      out.push({ kind: 'paren', v: c });
      i++;
    } else if (/[=!<>]/.test(c)) {
      const m = /^(!=|<=|>=|=|<|>)/.exec(q.slice(i));
      if (!m) throw new QueryError(`bad operator at ${i}`);
      out.push({ kind: 'op', v: m[1]! });
      i += m[1]!.length;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
      if (!m) throw new QueryError(`unexpected "${c}" at ${i}`);
      out.push({ kind: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

export function parseQuery(q: string, resolveId: (id: string) => string): Pred {
  const t = tokenize(q);
  let k = 0;
  const peek = () => t[k];
  const take = () => {
    const x = t[k++];
    if (!x) throw new QueryError('unexpected end of query');
    return x;
  };
  const value = (): string | boolean => {
    const x = take();
    if (x.kind === 'str') return x.v;
    if (x.kind === 'word' && (x.v === 'true' || x.v === 'false')) return x.v === 'true';
    throw new QueryError(`expected a value, got "${x.v}"`);
  };
  const term = (): Pred => {
    const x = take();
    if (x.kind === 'paren' && x.v === '(') {
      const p = or();
      if (take().v !== ')') throw new QueryError('expected )');
      return p;
    }
    if (x.kind === 'word' && x.v === 'not') {
      const p = term();
      return (f) => !p(f);
    }
    if (x.kind === 'str') {
      // '<value>' in parents
      const inWord = take();
      const field = take();
      if (inWord.v !== 'in' || field.v !== 'parents') throw new QueryError(`only '<id>' in parents is supported, got in ${field.v}`);
      const id = resolveId(x.v);
      return (f) => f.parents.includes(id);
    }
    if (x.kind !== 'word') throw new QueryError(`unexpected "${x.v}"`);
    const field = x.v;
    const opTok = take();
    const op = opTok.kind === 'word' && opTok.v === 'contains' ? 'contains' : opTok.kind === 'op' ? opTok.v : undefined;
    if (!op) throw new QueryError(`expected an operator after ${field}`);
    const v = value();
    const get = (f: FakeFile): string | boolean => {
      switch (field) {
        case 'name':
          return f.name;
        case 'mimeType':
          return f.mimeType;
        case 'trashed':
          return f.trashed;
        case 'modifiedTime':
          return f.modifiedTime;
        case 'createdTime':
          return f.createdTime;
        default:
          throw new QueryError(`unsupported field ${field}`);
      }
    };
    get({ name: '', mimeType: '', trashed: false, modifiedTime: '', createdTime: '', id: '', parents: [] }); // validates the field now
    if (field === 'trashed' && (typeof v !== 'boolean' || !['=', '!='].includes(op))) throw new QueryError('trashed takes = true|false');
    switch (op) {
      case '=':
        return (f) => get(f) === v;
      case '!=':
        return (f) => get(f) !== v;
      case 'contains':
        return (f) => String(get(f)).toLowerCase().includes(String(v).toLowerCase());
      case '<':
        return (f) => String(get(f)) < String(v);
      case '>':
        return (f) => String(get(f)) > String(v);
      case '<=':
        return (f) => String(get(f)) <= String(v);
      case '>=':
        return (f) => String(get(f)) >= String(v);
      default:
        throw new QueryError(`bad operator ${op}`);
    }
  };
  const and = (): Pred => {
    let p = term();
    while (peek()?.kind === 'word' && peek()!.v === 'and') {
      k++;
      const a = p;
      const b = term();
      p = (f) => a(f) && b(f);
    }
    return p;
  };
  function or(): Pred {
    let p = and();
    while (peek()?.kind === 'word' && peek()!.v === 'or') {
      k++;
      const a = p;
      const b = and();
      p = (f) => a(f) || b(f);
    }
    return p;
  }
  const p = or();
  if (k !== t.length) throw new QueryError(`unexpected "${t[k]!.v}"`);
  return p;
}
