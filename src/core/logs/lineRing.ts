/**
 * Lines of one stream in fixed-size chunks, so dropping the oldest lines is cheap. Line numbers are
 * absolute (0-based since the stream began) and stay stable when old lines are dropped.
 */
const chunkSize = 4096;

interface Chunk {
  text: string[];
  err: Uint8Array;
  /** When each line arrived (ms since the epoch), for Live Logs' timestamps. */
  at: Float64Array;
}

export class LineRing {
  private chunks: Chunk[] = [];
  /** Absolute number of the first line in `chunks[0]` (it may already be partly dropped). */
  private chunkBase = 0;
  /** Absolute number of the first line still kept. */
  private firstLine = 0;
  private count = 0;
  private bytes = 0;

  constructor(
    private maxLines: number,
    private readonly maxBytes: number,
  ) {}

  get first(): number {
    return this.firstLine;
  }
  /** Absolute number one past the last line. */
  get end(): number {
    return this.firstLine + this.count;
  }
  get size(): number {
    return this.count;
  }
  get byteSize(): number {
    return this.bytes;
  }

  setMaxLines(n: number): void {
    this.maxLines = n;
    this.trim();
  }

  push(text: string, err: boolean, at = Date.now()): void {
    let last = this.chunks[this.chunks.length - 1];
    const fill = this.chunkBase + this.chunks.length * chunkSize - this.end;
    if (!last || fill === 0) {
      last = { text: [], err: new Uint8Array(chunkSize), at: new Float64Array(chunkSize) };
      this.chunks.push(last);
    }
    if (err) last.err[last.text.length] = 1;
    last.at[last.text.length] = at;
    last.text.push(text);
    this.count += 1;
    this.bytes += text.length * 2 + 48;
    this.trim();
  }

  /** Line `n` (absolute), or undefined when dropped or not yet written. */
  get(n: number): { text: string; err: boolean; at: number } | undefined {
    if (n < this.firstLine || n >= this.end) return undefined;
    const rel = n - this.chunkBase;
    const chunk = this.chunks[Math.floor(rel / chunkSize)]!;
    const i = rel % chunkSize;
    return { text: chunk.text[i]!, err: chunk.err[i] === 1, at: chunk.at[i]! };
  }

  clear(): void {
    this.firstLine = this.end;
    this.chunkBase = this.firstLine;
    this.chunks = [];
    this.count = 0;
    this.bytes = 0;
  }

  private trim(): void {
    while (this.count > this.maxLines || (this.bytes > this.maxBytes && this.count > 1)) {
      const rel = this.firstLine - this.chunkBase;
      const chunk = this.chunks[0]!;
      const text = chunk.text[rel]!;
      this.bytes -= text.length * 2 + 48;
      chunk.text[rel] = '';
      this.firstLine += 1;
      this.count -= 1;
      if (rel + 1 === chunkSize) {
        this.chunks.shift();
        this.chunkBase += chunkSize;
      }
    }
  }
}
