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

/** Deeper than any real config: beyond it the parsers below would overflow the call stack. */
export const maxConfigDepth = 64;

/** offset → 1-based line, for one text. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Offset of the first bracket nested deeper than `limit`, or -1. A flat scan (strings and comments
 * skipped), so that a hostile file fails with a line number instead of "Maximum call stack size exceeded".
 */
export function tooDeepAt(text: string, limit = maxConfigDepth): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 123 || c === 91) {
      if (++depth > limit) return i;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return -1;
}

export interface ParsedJsonc {
  root: Node | undefined;
  lineAt: (offset: number) => number;
  /** Syntax errors (and a too-deep nesting), in file order, as ConfigErrors. */
  errors: ConfigError[];
}

/** The one JSONC parse every config file goes through: comments and trailing commas allowed. */
export function parseJsonc(text: string, file: string): ParsedJsonc {
  const lineAt = lineIndex(text);
  if (text.includes('\u0000'))
    return { root: undefined, lineAt, errors: [new ConfigError(file, lineAt(text.indexOf('\u0000')), '', 'is not a text file (it contains NUL bytes)')] };
  const deep = tooDeepAt(text);
  if (deep >= 0) return { root: undefined, lineAt, errors: [new ConfigError(file, lineAt(deep), '', `is nested more than ${maxConfigDepth} levels deep`)] };
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  const errors = parseErrors.map((e) => new ConfigError(file, lineAt(e.offset), '', `JSON syntax error: ${printParseErrorCode(e.error)}`));
  return { root, lineAt, errors };
}

/** A parsed document: values by path, each with the line it starts on. */
export class JsoncDoc {
  readonly root: Node;
  readonly lineAt: (offset: number) => number;

  private constructor(
    readonly file: string,
    lineAt: (offset: number) => number,
    root: Node,
  ) {
    this.root = root;
    this.lineAt = lineAt;
  }

  /** Parses `text`; syntax errors throw a ConfigError at the first one. */
  static parse(text: string, file: string): JsoncDoc {
    const { root, lineAt, errors } = parseJsonc(text, file);
    if (errors.length) throw errors[0]!;
    if (!root || root.type !== 'object') throw new ConfigError(file, 1, '', 'the file must contain a JSON object');
    return new JsoncDoc(file, lineAt, root);
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

/** A read failure in words, not an errno: what a user passing the wrong path needs to see. */
export function readProblem(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'no such file';
  if (err.code === 'EISDIR') return 'it is a directory, not a file';
  if (err.code === 'EACCES') return 'permission denied';
  return err.code ?? err.message;
}
