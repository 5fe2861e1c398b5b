// Messages between the Live Logs webview and the extension host. Shared by both bundles; keep it
// free of imports that pull in Node or vscode.

export interface StreamSummary {
  id: string;
  title: string;
  /** The title made unique within its group ("client@local (2)"), as the list shows it. */
  name: string;
  /** The run the stream belongs to, outermost first (["sweep run: …", "001_case"]); empty: ungrouped. */
  group: string[];
  source: string;
  kind: 'command' | 'tail' | 'job';
  state: 'running' | 'done' | 'failed' | 'cancelled';
  exitCode?: number | null;
  startedAt: number;
  endedAt?: number;
  /** Rows the view can scroll over: kept lines, or matches while a filter is on. */
  rows: number;
  /** Lines kept in the stream (regardless of the filter) and lines dropped for memory. */
  lines: number;
  dropped: number;
}

export interface FilterState {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
  error?: string;
}

export interface Row {
  /** Absolute line number (1-based when shown). */
  n: number;
  text: string;
  /** The process's stderr, or one of Airlock's own `[airlock] …` messages (each shown in its own colour). */
  err: boolean;
  airlock: boolean;
  /** When the line arrived (ms since the epoch). */
  at: number;
}

export type HostToWebview =
  | { type: 'snapshot'; streams: StreamSummary[]; activeId?: string; filter: FilterState }
  | { type: 'streams'; streams: StreamSummary[]; activeId?: string }
  | { type: 'rows'; streamId: string; start: number; rows: Row[]; generation: number }
  | { type: 'filter'; filter: FilterState; generation: number };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'select'; streamId: string }
  | { type: 'requestRows'; streamId: string; start: number; count: number; generation: number }
  | { type: 'setFilter'; text: string; regex: boolean; caseSensitive: boolean }
  | { type: 'copy'; streamId: string; what: 'all' | { start: number; count: number } }
  | { type: 'clear'; streamId: string }
  | { type: 'remove'; streamId: string }
  | { type: 'stop'; streamId: string };
