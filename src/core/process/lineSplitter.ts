/** Turns arbitrary chunks of output into whole lines; a trailing partial line is kept until more arrives. */
export class LineSplitter {
  private pending = '';
  private readonly decoder = new TextDecoder();

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const parts = (this.pending + text).split('\n');
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
  }

  /** Emits the last partial line, if any. */
  flush(): void {
    if (this.pending) {
      const rest = this.pending;
      this.pending = '';
      this.onLine(rest);
    }
  }
}
