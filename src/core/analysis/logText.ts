// Bytes of a log line to the text Python's `open(path, errors="ignore")` gives, and the line number
// of a byte offset under universal newlines (\n, \r\n and a lone \r each end one line).
import { open } from 'node:fs/promises';

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const realReplacement = Buffer.from([0xef, 0xbf, 0xbd]);

/**
 * UTF-8 with undecodable bytes dropped. TextDecoder turns each invalid sequence into U+FFFD; a
 * real U+FFFD in the log (EF BF BD) must survive, so the text is decoded between real ones. That
 * split is exact: EF starts a sequence whatever precedes it, and EF BF BD is always complete.
 */
export function decodeIgnoringErrors(bytes: Buffer): string {
  let out = '';
  let from = 0;
  for (;;) {
    const at = bytes.indexOf(realReplacement, from);
    const piece = utf8.decode(bytes.subarray(from, at < 0 ? bytes.length : at));
    out += piece.includes('\uFFFD') ? piece.replace(/\uFFFD/g, '') : piece;
    if (at < 0) return out;
    out += '\uFFFD';
    from = at + 3;
  }
}

/** 1-based line number of the line that starts at byte `offset` (only computed when reporting an error). */
export async function lineNumberAt(path: string, offset: number): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let line = 1;
    let pos = 0;
    let prevCR = false;
    while (pos < offset) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, offset - pos), pos);
      if (!bytesRead) break;
      for (let i = 0; i < bytesRead; i++) {
        const c = buf[i]!;
        if (c === 13) line++;
        else if (c === 10 && !(i === 0 ? prevCR : buf[i - 1] === 13)) line++;
      }
      prevCR = buf[bytesRead - 1] === 13;
      pos += bytesRead;
    }
    return line;
  } finally {
    await fh.close();
  }
}
