// Checking command-line values in one place, before any work starts: numbers are finite and in
// range (`--timeout 1e309` is not Infinity), paths are what the flag needs (a file where a file is
// read or written, a directory where one is expected). Every problem is a UsageError naming the
// flag (exit 2) instead of a raw errno halfway through — after a pod was created, say.
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors';

export interface NumberRule {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Strictly greater than this (e.g. 0 for "positive"). */
  above?: number;
  max?: number;
  integer?: boolean;
}

/** Parses a numeric flag; undefined stays undefined (the caller's default applies). */
export function numberFlag(flag: string, value: string | undefined, rule: NumberRule = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  const what = rule.integer ? 'a whole number' : 'a number';
  const range = [
    rule.above !== undefined ? `> ${rule.above}` : undefined,
    rule.min !== undefined ? `≥ ${rule.min}` : undefined,
    rule.max !== undefined ? `≤ ${rule.max}` : undefined,
  ]
    .filter(Boolean)
    .join(' and ');
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isSafeInteger(n)) &&
    (rule.above === undefined || n > rule.above) &&
    (rule.min === undefined || n >= rule.min) &&
    (rule.max === undefined || n <= rule.max);
  if (!ok) throw new UsageError(`${flag} must be ${what}${range ? ` ${range}` : ''}, got "${value}"`);
  return n;
}

/** Seconds as milliseconds, capped where Node's timers stop working (2^31-1 ms ≈ 24.8 days). */
export function secondsFlag(flag: string, value: string | undefined, fallbackSec: number): number {
  const sec = numberFlag(flag, value, { above: 0, max: 2_147_483 }) ?? fallbackSec;
  return Math.round(sec * 1000);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new UsageError(`a part of the path is a file, not a directory`);
    throw new UsageError(`cannot be read (${code ?? (err as Error).message})`);
  }
}

function named<T>(flag: string, path: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${flag} ${path}: ${err.message}`);
    throw err;
  }
}

/** A file the command reads: it exists and is not a directory. */
export function inputFileFlag(flag: string, path: string): string {
  return named(flag, path, () => {
    const st = statOrUndefined(path);
    if (!st) throw new UsageError('no such file');
    if (st.isDirectory()) throw new UsageError('is a directory; a file is expected');
    return path;
  });
}

/** A file the command reads whose absence the command reports itself: only a directory is refused here. */
export function notDirectoryFlag(flag: string, path: string): string {
  return named(flag, path, () => {
    if (statOrUndefined(path)?.isDirectory()) throw new UsageError('is a directory; a file is expected');
    return path;
  });
}

/** A directory the command reads: it exists and is a directory. */
export function inputDirFlag(flag: string, path: string): string {
  return named(flag, path, () => {
    const st = statOrUndefined(path);
    if (!st) throw new UsageError('no such directory');
    if (!st.isDirectory()) throw new UsageError('is a file; a directory is expected');
    return path;
  });
}

/** A file the command will write: not a directory, and its nearest existing parent is a writable directory. */
export function outputFileFlag(flag: string, path: string): string {
  return named(flag, path, () => {
    const st = statOrUndefined(path);
    if (st?.isDirectory()) throw new UsageError('is a directory; a file path is expected');
    if (st && !st.isFile()) throw new UsageError('is not a regular file');
    writableAncestor(dirname(resolve(path)));
    return path;
  });
}

/** A directory the command will write into (created if missing): not a file, under a writable directory. */
export function outputDirFlag(flag: string, path: string): string {
  return named(flag, path, () => {
    const st = statOrUndefined(path);
    if (st && !st.isDirectory()) throw new UsageError('is a file; a directory is expected');
    writableAncestor(st ? resolve(path) : dirname(resolve(path)));
    return path;
  });
}

function writableAncestor(dir: string): void {
  for (let d = dir; ; d = dirname(d)) {
    const st = statOrUndefined(d);
    if (st) {
      if (!st.isDirectory()) throw new UsageError(`${d} is a file, so nothing can be created under it`);
      try {
        accessSync(d, constants.W_OK);
      } catch {
        throw new UsageError(`${d} is not writable`);
      }
      return;
    }
    if (dirname(d) === d) return;
  }
}
