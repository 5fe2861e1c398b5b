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

/**
 * A parser fed the lines (in file order) that contain at least one of its tags. `has` has bit i set
 * exactly when the line contains `tags[i]`: a parser need not look for a tag the line lacks.
 */
export interface LinePass {
  readonly tags: readonly string[];
  line(text: string, has: number): void;
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
  if (allTags.length > maxTags) throw new Error(`scanLog: at most ${maxTags} tags`);
  // For each pass, its tag bits by the bit of the tag in allTags.
  const bitsOf = passes.map((p) => allTags.map((t) => (p.tags.includes(t) ? 1 << p.tags.indexOf(t) : 0)));
  let live = passes.length;
  const feed = (text: string, offset: number, found: number) => {
    for (let i = 0; i < passes.length; i++) {
      if (failures[i]) continue;
      const bits = bitsOf[i]!;
      let has = 0;
      for (let t = 0; t < bits.length; t++) if (found & (1 << t)) has |= bits[t]!;
      if (!has) continue;
      try {
        passes[i]!.line(text, has);
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
      scanRegion(buf.subarray(0, end), allTags, (s, e, found, text) => {
        if (found >= 0) return feed(text.slice(s, e), base + s, found);
        // A line with a non-ASCII byte: decoded as Python would, then the tags looked for in its text.
        const line = decodeIgnoringErrors(buf.subarray(s, e));
        let has = 0;
        for (let t = 0; t < allTags.length; t++) if (line.includes(allTags[t]!)) has |= 1 << t;
        if (has) feed(line, base + s, has);
      });
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

/** Tags scanRegion can tell apart (a line's tags are a bit mask packed beside its start). */
const maxTags = 30;
const nonAscii = 31;

/**
 * Calls `each(start, end, found, text)` once per candidate line of `region` (whole lines only), in
 * order. `text` is the region as one latin1 string (a byte per char, offsets stay byte offsets):
 * V8's string indexOf is inlined, a Buffer call per line costs more than the search. `found` has bit
 * t set exactly when the line holds `tags[t]`, or is -1 for a line with a non-ASCII byte (the
 * caller decodes it; dropping an undecodable byte can complete a tag, so every such line is a candidate).
 * An ASCII line is `text.slice(start, end)`.
 */
export function scanRegion(region: Buffer, tags: readonly string[], each: (start: number, end: number, found: number, text: string) => void): void {
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
  // Each hit as start * 32 + what it is (a tag's index, or nonAscii): sorted, a line's hits are adjacent.
  const hits: number[] = [];
  for (let t = 0; t < tags.length; t++) {
    const tag = tags[t]!;
    let i = text.indexOf(tag);
    while (i >= 0) {
      hits.push(startOf(i) * 32 + t);
      i = text.indexOf(tag, endOf(i + tag.length));
    }
  }
  const ascii = isAscii(region);
  if (!ascii) {
    const high = /[\x80-\xff]/g;
    for (let m = high.exec(text); m; m = high.exec(text)) {
      hits.push(startOf(m.index) * 32 + nonAscii);
      high.lastIndex = endOf(m.index);
    }
  }
  if (!hits.length) return;
  const sorted = tags.length > 1 || !ascii ? Float64Array.from(hits).sort() : hits;
  for (let k = 0; k < sorted.length;) {
    const s = Math.floor(sorted[k]! / 32);
    let found = 0;
    for (; k < sorted.length && Math.floor(sorted[k]! / 32) === s; k++) {
      const what = sorted[k]! % 32;
      found = what === nonAscii ? -1 : found < 0 ? found : found | (1 << what);
    }
    each(s, endOf(s), found, text);
  }
}

/** The first failure in `order` as a LogParseError naming the file (as the report prints it) and line. */
export async function firstFailure(order: readonly { path: string; shown: string; failure: PassFailure | undefined }[]): Promise<LogParseError | undefined> {
  const hit = order.find((o) => o.failure);
  if (!hit) return undefined;
  return new LogParseError(hit.shown, await lineNumberAt(hit.path, hit.failure!.offset), hit.failure!.message);
}
