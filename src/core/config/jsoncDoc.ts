// Reading a JSON-with-comments config so that every problem names the file, the 1-based line and
// the field (`.airlock/phases.json:12: phases[0].reruns must be an integer ≥ 1`).
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly line: number,
    /** JSON path such as `phases[0].reruns`, or '' for the whole file. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${field ? `${field} ` : ''}${problem}`);
  }
}

export type JsonPath = (string | number)[];

export function pathString(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** A parsed document: values by path, each with the line it starts on. */
export class JsoncDoc {
  readonly root: Node;
  private readonly lineStarts: number[];

  private constructor(readonly file: string, text: string, root: Node) {
    this.root = root;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** Parses `text`; syntax errors throw a ConfigError at the first one. */
  static parse(text: string, file: string): JsoncDoc {
    const errors: ParseError[] = [];
    const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
    const probe = new JsoncDoc(file, text, root ?? { type: 'null', offset: 0, length: 0 } as Node);
    if (errors.length) throw new ConfigError(file, probe.lineAt(errors[0]!.offset), '', `JSON syntax error: ${printParseErrorCode(errors[0]!.error)}`);
    if (!root || root.type !== 'object') throw new ConfigError(file, 1, '', 'the file must contain a JSON object');
    return probe;
  }

  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  node(path: JsonPath): Node | undefined {
    return findNodeAtLocation(this.root, path);
  }

  /** An error about the value at `path` (or its nearest existing parent). */
  error(path: JsonPath, problem: string): ConfigError {
    let p = path;
    let n = this.node(p);
    while (!n && p.length) {
      p = p.slice(0, -1);
      n = this.node(p);
    }
    return new ConfigError(this.file, this.lineAt(n?.offset ?? 0), pathString(path), problem);
  }

  has(path: JsonPath): boolean {
    return this.node(path) !== undefined;
  }

  value(path: JsonPath): unknown {
    const n = this.node(path);
    return n ? getNodeValue(n) : undefined;
  }

  keys(path: JsonPath): string[] {
    const n = this.node(path);
    if (!n || n.type !== 'object') return [];
    return (n.children ?? []).map((c) => c.children![0]!.value as string);
  }

  length(path: JsonPath): number {
    const n = this.node(path);
    return n?.type === 'array' ? (n.children?.length ?? 0) : 0;
  }

  string(path: JsonPath, opts: { required?: boolean; nonEmpty?: boolean } = {}): string | undefined {
    const v = this.value(path);
    if (v === undefined) {
      if (opts.required) throw this.error(path, 'is required');
      return undefined;
    }
    if (typeof v !== 'string') throw this.error(path, `must be a string, not ${describe(v)}`);
    if (opts.nonEmpty && !v.trim()) throw this.error(path, 'must not be empty');
    return v;
  }

  integer(path: JsonPath, opts: { min?: number; required?: boolean } = {}): number | undefined {
    const v = this.value(path);
    if (v === undefined) {
      if (opts.required) throw this.error(path, 'is required');
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || (opts.min !== undefined && v < opts.min)) {
      throw this.error(path, `must be an integer${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}, not ${describe(v)}`);
    }
    return v;
  }

  number(path: JsonPath, opts: { min?: number } = {}): number | undefined {
    const v = this.value(path);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || (opts.min !== undefined && v < opts.min)) {
      throw this.error(path, `must be a number${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}, not ${describe(v)}`);
    }
    return v;
  }

  boolean(path: JsonPath): boolean | undefined {
    const v = this.value(path);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw this.error(path, `must be true or false, not ${describe(v)}`);
    return v;
  }

  /** Rejects keys outside `known`, naming the closest known one. */
  onlyKeys(path: JsonPath, known: readonly string[]): void {
    for (const k of this.keys(path)) {
      if (!known.includes(k)) throw this.error([...path, k], `is not a known field (known: ${known.join(', ')})`);
    }
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}
