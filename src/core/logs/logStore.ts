import { stripAnsi } from './ansi';
import { compileFilter, filterKey, isActiveFilter, type LogFilterQuery } from './logFilter';
import { LineRing } from './lineRing';

export type LogStreamKind = 'command' | 'tail' | 'job';
export type LogStreamState = 'running' | 'done' | 'failed' | 'cancelled';

export interface LogStreamInfo {
  id: string;
  title: string;
  /** Where the lines come from: a host name, `local`, a pod id. */
  source: string;
  kind: LogStreamKind;
  /** Where Live Logs files the stream: the run it belongs to, outermost first (sweep, case). */
  group?: string[];
  state: LogStreamState;
  exitCode?: number | null;
  startedAt: number;
  endedAt?: number;
  /** Absolute number of the first line kept, and one past the last. */
  first: number;
  end: number;
  /** Lines dropped to respect the memory bounds. */
  dropped: number;
}

export interface LogLine {
  n: number;
  text: string;
  err: boolean;
  /** When the line arrived (ms since the epoch). */
  at: number;
}

interface FilterCache {
  key: string;
  scannedTo: number;
  matches: number[];
  error?: string;
}

interface Stream {
  info: Omit<LogStreamInfo, 'first' | 'end' | 'dropped'>;
  ring: LineRing;
  filter?: FilterCache;
}

export interface LogStoreOptions {
  maxLinesPerStream?: number;
  /** Approximate memory cap per stream (UTF-16 text + overhead). Default 256 MiB. */
  maxBytesPerStream?: number;
  /** Appends within this window are reported as one change. Default 50 ms. */
  batchMs?: number;
}

type Listener = (e: { type: 'appended'; ids: string[] } | { type: 'streams' }) => void;

/**
 * Every Live Logs stream, held in the extension host (the webview only ever holds a window).
 * Memory is bounded per stream; change notifications are batched so a flood of lines costs one
 * message per batch window.
 */
export class LogStore {
  private readonly streams = new Map<string, Stream>();
  private readonly listeners = new Set<Listener>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private maxLines: number;
  private readonly maxBytes: number;
  private readonly batchMs: number;

  constructor(opts: LogStoreOptions = {}) {
    this.maxLines = opts.maxLinesPerStream ?? 1_000_000;
    this.maxBytes = opts.maxBytesPerStream ?? 256 * 1024 * 1024;
    this.batchMs = opts.batchMs ?? 50;
  }

  onChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  setMaxLinesPerStream(n: number): void {
    this.maxLines = n;
    for (const s of this.streams.values()) s.ring.setMaxLines(n);
  }

  create(init: { title: string; source: string; kind: LogStreamKind; group?: string[] }): string {
    const id = `s${++this.seq}`;
    this.streams.set(id, { info: { id, ...init, state: 'running', startedAt: Date.now() }, ring: new LineRing(this.maxLines, this.maxBytes) });
    this.emit({ type: 'streams' });
    return id;
  }

  append(id: string, lines: string[], err = false): void {
    const s = this.streams.get(id);
    if (!s) return;
    for (const l of lines) s.ring.push(l, err);
    this.pending.add(id);
    this.timer ??= setTimeout(() => this.flush(), this.batchMs);
  }

  close(id: string, state: Exclude<LogStreamState, 'running'>, exitCode?: number | null): void {
    const s = this.streams.get(id);
    if (!s) return;
    this.flush();
    Object.assign(s.info, { state, exitCode, endedAt: Date.now() });
    this.emit({ type: 'streams' });
  }

  clear(id: string): void {
    const s = this.streams.get(id);
    if (!s) return;
    s.ring.clear();
    s.filter = undefined;
    this.emit({ type: 'streams' });
  }

  remove(id: string): void {
    if (this.streams.delete(id)) this.emit({ type: 'streams' });
  }

  info(id: string): LogStreamInfo | undefined {
    const s = this.streams.get(id);
    return s && { ...s.info, first: s.ring.first, end: s.ring.end, dropped: s.ring.first };
  }

  list(): LogStreamInfo[] {
    return [...this.streams.keys()].map((id) => this.info(id)!);
  }

  /** Lines `start` ≤ n < `end` that are still kept. */
  range(id: string, start: number, end: number): LogLine[] {
    const s = this.streams.get(id);
    if (!s) return [];
    const out: LogLine[] = [];
    for (let n = Math.max(start, s.ring.first); n < Math.min(end, s.ring.end); n++) out.push({ n, ...s.ring.get(n)! });
    return out;
  }

  /**
   * Absolute numbers of the kept lines matching `q` (ANSI codes ignored). Cached per stream and
   * query: after more lines arrive only the new ones are scanned.
   */
  filter(id: string, q: LogFilterQuery): { matches: number[]; error?: string } {
    const s = this.streams.get(id);
    if (!s || !isActiveFilter(q)) return { matches: [] };
    const key = filterKey(q);
    if (s.filter?.key !== key) {
      const compiled = compileFilter(q);
      s.filter = { key, scannedTo: s.ring.first, matches: [], ...('error' in compiled ? { error: compiled.error } : {}) };
    }
    const cache = s.filter;
    if (cache.error) return { matches: [], error: cache.error };
    const compiled = compileFilter(q) as { test: (l: string) => boolean };
    for (let n = Math.max(cache.scannedTo, s.ring.first); n < s.ring.end; n++) {
      const text = s.ring.get(n)!.text;
      if (compiled.test(text.includes('\x1b') ? stripAnsi(text) : text)) cache.matches.push(n);
    }
    cache.scannedTo = s.ring.end;
    // Forget matches whose lines were dropped.
    let drop = 0;
    while (drop < cache.matches.length && cache.matches[drop]! < s.ring.first) drop++;
    if (drop) cache.matches.splice(0, drop);
    return { matches: cache.matches };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.size) return;
    const ids = [...this.pending];
    this.pending = new Set();
    this.emit({ type: 'appended', ids });
  }

  private emit(e: Parameters<Listener>[0]): void {
    for (const l of this.listeners) l(e);
  }
}
