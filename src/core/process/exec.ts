/** What every place that runs a shell command (this machine or a host over SSH) accepts and returns. */
export interface ExecOptions {
  /** Aborting kills the whole process group (locally) or closes the channel and signals it (SSH). */
  signal?: AbortSignal;
  /** Working directory; `~` is the user's home. */
  cwd?: string;
  env?: Record<string, string>;
  /** Called with each complete line of stdout / stderr (no trailing newline). */
  onStdout?: (line: string) => void;
  onStderr?: (line: string) => void;
  /** Written to stdin, then stdin is closed. */
  input?: string;
  /** Kill after this many milliseconds; the result then has `timedOut: true`. */
  timeoutMs?: number;
}

export interface ExecResult {
  /** Exit code; null when the process died from a signal. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Keeps at most `limit` characters of captured output (the tail), so a chatty command cannot exhaust memory. */
export class OutputCapture {
  private text = '';
  constructor(private readonly limit = 4 * 1024 * 1024) {}
  append(line: string): void {
    this.text += line + '\n';
    if (this.text.length > this.limit) this.text = this.text.slice(this.text.length - this.limit);
  }
  toString(): string {
    return this.text;
  }
}

// Re-exported for the callers that import it from here: the one quoting function lives in core/shell.
export { shellQuote } from '../shell/quote';
