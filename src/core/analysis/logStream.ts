// One streaming pass over a log for several parsers. The file is read in chunks into one Buffer and
// only lines that hold a parser's tag are decoded: every regex the originals use starts with a
// literal tag ("[NETWORK_TX] SUMMARY", ...), so a line without one cannot match. Tags are found
// with Buffer.indexOf over the raw bytes; where a chunk has non-ASCII bytes, the lines holding them
// are decoded too, because dropping an undecodable byte can join a tag ("[STEP_\xffLATENCY]").
// Memory is the chunk plus what the parsers keep, whatever the file's size.
import { isAscii } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import { PyValueError } from './pyFloat';
import { decodeIgnoringErrors, lineNumberAt } from './logText';

/** A parser fed the lines (in file order) that contain at least one of its tags. */
export interface LinePass {
  readonly tags: readonly string[];
  line(text: string): void;
}

/** Where a pass stopped: Python would have raised ValueError on this line (it is fed no more lines). */
export interface PassFailure {
  offset: number;
  message: string;
}

/** Thrown for a log that cannot be read (the CLI exits 2 naming it). */
export class LogReadError extends Error {
  override readonly name = 'LogReadError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot read log ${path}: ${reason}`);
  }
}

/** A log line the original would have crashed on (Python ValueError); names the file and line. */
export class LogParseError extends Error {
  override readonly name = 'LogParseError';
  constructor(
    readonly path: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${path}:${line}: ${problem}`);
  }
}

export async function openLog(path: string): Promise<FileHandle> {
  return open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new LogReadError(path, err.code === 'ENOENT' ? 'no such file' : (err.code ?? err.message));
  });
}

/** Bytes read at a time (tests shrink it to put line ends, CRLF pairs and tags across chunk boundaries). */
export const scanTuning = { chunkSize: 4 << 20 };

/** Feeds `passes` every candidate line of the open file; returns each pass's failure (or undefined). */
export async function scanLog(fh: FileHandle, passes: readonly LinePass[]): Promise<(PassFailure | undefined)[]> {
  const failures: (PassFailure | undefined)[] = passes.map(() => undefined);
  const allTags = [...new Set(passes.flatMap((p) => p.tags))];
  let live = passes.length;
  const feed = (text: string, offset: number) => {
    for (let i = 0; i < passes.length; i++) {
      if (failures[i]) continue;
      const pass = passes[i]!;
      if (!pass.tags.some((t) => text.includes(t))) continue;
      try {
        pass.line(text);
      } catch (err) {
        if (!(err instanceof PyValueError)) throw err;
        failures[i] = { offset, message: err.message };
        live--;
      }
    }
  };
  let buf = Buffer.allocUnsafe(scanTuning.chunkSize);
  let filled = 0;
  let base = 0; // file offset of buf[0]
  let eof = false;
  try {
    while (!eof && live > 0) {
      if (filled === buf.length) {
        // One line longer than the buffer: grow, as Python would hold the line too.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null);
      filled += bytesRead;
      eof = bytesRead === 0;
      let end = filled;
      if (!eof) {
        end = lastLineEnd(buf, filled) + 1;
        if (end === 0) continue;
      }
      scanRegion(buf.subarray(0, end), allTags, (s, e, ascii) =>
        feed(ascii ? buf.toString('latin1', s, e) : decodeIgnoringErrors(buf.subarray(s, e)), base + s),
      );
      buf.copy(buf, 0, end, filled);
      base += end;
      filled -= end;
    }
  } finally {
    await fh.close();
  }
  return failures;
}

function lastLineEnd(buf: Buffer, filled: number): number {
  for (let i = filled - 1; i >= 0; i--) {
    const c = buf[i]!;
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

/**
 * Calls `each(start, end, ascii)` once per candidate line of `region` (whole lines only), in order.
 * The search runs over the region as one latin1 string (a byte per char, offsets stay byte
 * offsets): V8's string indexOf is inlined, a Buffer call per line costs more than the search.
 */
export function scanRegion(region: Buffer, tags: readonly string[], each: (start: number, end: number, ascii: boolean) => void): void {
  const text = region.toString('latin1');
  const hasCR = text.indexOf('\r') >= 0;
  const startOf = (i: number) => {
    if (!hasCR) return text.lastIndexOf('\n', i) + 1;
    let j = i;
    while (j > 0 && text.charCodeAt(j - 1) !== 10 && text.charCodeAt(j - 1) !== 13) j--;
    return j;
  };
  const endOf = (i: number) => {
    if (!hasCR) {
      const e = text.indexOf('\n', i);
      return e < 0 ? text.length : e;
    }
    let j = i;
    while (j < text.length && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
    return j;
  };
  const starts: number[] = [];
  for (const tag of tags) {
    let i = text.indexOf(tag);
    while (i >= 0) {
      starts.push(startOf(i));
      i = text.indexOf(tag, endOf(i + tag.length));
    }
  }
  const ascii = isAscii(region);
  if (!ascii) {
    // Dropping an undecodable byte can complete a tag, so every line with a high byte is a candidate.
    const high = /[\x80-\xff]/g;
    for (let m = high.exec(text); m; m = high.exec(text)) {
      starts.push(startOf(m.index));
      high.lastIndex = endOf(m.index);
    }
  }
  if (!starts.length) return;
  const sorted = tags.length > 1 || !ascii ? Float64Array.from(starts).sort() : starts;
  let prev = -1;
  for (const s of sorted) {
    if (s === prev) continue;
    prev = s;
    const e = endOf(s);
    each(s, e, ascii || !/[\x80-\xff]/.test(text.slice(s, e)));
  }
}

/** The first failure in `order` as a LogParseError naming the file (as the report prints it) and line. */
export async function firstFailure(order: readonly { path: string; shown: string; failure: PassFailure | undefined }[]): Promise<LogParseError | undefined> {
  const hit = order.find((o) => o.failure);
  if (!hit) return undefined;
  return new LogParseError(hit.shown, await lineNumberAt(hit.path, hit.failure!.offset), hit.failure!.message);
}
