// A notebook run as the editor lists it — dispatched to Colab or run on a Jupyter server — and how
// the events of either kind move it along. Plain data, so the list survives a window reload.
import type { DispatchEvent } from '../colab/dispatch';
import type { RunFile } from '../colab/results';
import type { RunStatus } from './statusWriter';

export type NotebookRunState = 'uploading' | 'starting' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface NotebookRunRecord {
  id: string;
  kind: 'colab' | 'jupyter';
  /** The notebook's file name. */
  notebook: string;
  /** Where the notebook came from (a path in the workspace). */
  source: string;
  /** "Colab · T4", a server URL, a pod's name. */
  target: string;
  state: NotebookRunState;
  startedAt: number;
  endedAt?: number;
  /** Finished code cells out of all (Colab counts Airlock's own status cells too). */
  cell?: number;
  total?: number;
  /** The GPU the runtime reported. */
  gpu?: string;
  /** Colab: the runtime asked for (T4, L4, A100, V100, none). */
  gpuRequest?: string;
  /** What went wrong, in one line; the traceback is in the run's log. */
  error?: string;
  /** Parameters set for this run (values as typed; never secrets). */
  params?: Record<string, string>;
  /** Colab: the run id (`<name>-<time>`), the Drive file and results folder, and their URLs. */
  runId?: string;
  fileId?: string;
  folderId?: string;
  notebookUrl?: string;
  folderUrl?: string;
  files?: RunFile[];
  /** A picture of Colab's page when it failed. */
  screenshot?: string;
  /** Jupyter: the executed notebook written next to the source. */
  output?: string;
  /** Jupyter: what the target was picked as (`pod:<id>` or the server URL), for Run Again. */
  server?: string;
  /** Jupyter: files on the server the run wrote (modified since it started), relative to its root. */
  written?: { path: string; size?: number }[];
  /** Where the results were downloaded. */
  downloadedTo?: string;
  /** The Live Logs stream of this run (only while this window lives). */
  streamId?: string;
}

export const runIsActive = (r: Pick<NotebookRunRecord, 'state'>) => r.state === 'uploading' || r.state === 'starting' || r.state === 'running';
/** Whether Download Results has something to fetch: a Colab run's Drive folder, or what a Jupyter run wrote (or its executed notebook). */
export const runHasResults = (r: Pick<NotebookRunRecord, 'kind' | 'folderId' | 'written' | 'output'>) =>
  !!r.folderId || (r.kind === 'jupyter' && (!!r.written?.length || !!r.output));

/** Applies a Colab dispatch event; returns a line for the run's log, if the event is worth one. */
export function applyDispatchEvent(r: NotebookRunRecord, e: DispatchEvent): string | undefined {
  switch (e.type) {
    case 'rendered':
      r.runId = e.runId;
      return `[airlock] run ${e.runId}${e.changed.length ? ` · set ${e.changed.join(', ')}` : ''}`;
    case 'uploaded':
      Object.assign(r, { fileId: e.fileId, folderId: e.folderId, notebookUrl: e.notebookUrl, folderUrl: e.folderUrl, state: 'starting' as const });
      return `[airlock] uploaded to Drive: ${e.notebookUrl}\n[airlock] results folder: ${e.folderUrl}`;
    case 'log':
      return `[airlock] ${e.message}`;
    case 'status':
      applyStatus(r, e.status);
      return `[airlock] ${e.status.state}${runProgress(r) ? ` · ${runProgress(r)!.label}` : ''}${e.status.gpu ? ` · ${e.status.gpu}` : ''}`;
    case 'output':
      return e.line;
  }
}

/**
 * What the notebook's status file says — while Airlock follows the run, or read back later with
 * Check Status (`followed` false: a run still going on Colab stays "interrupted", with where it is).
 */
export function applyStatus(r: NotebookRunRecord, s: RunStatus, followed = true): void {
  r.cell = s.cell;
  r.total = s.total;
  if (s.gpu) r.gpu = s.gpu;
  if (s.state === 'running') {
    if (followed) r.state = 'running';
    else r.error = `still running on Colab when checked (cell ${s.cell}/${s.total}, status written ${s.heartbeatAt ?? s.updatedAt})`;
    return;
  }
  r.state = s.state;
  if (s.state === 'failed') r.error = s.error ?? 'the notebook failed';
  else delete r.error;
  r.endedAt ??= Date.parse(s.updatedAt) || Date.now();
}

/** Ends a run that was still going when the window closed: nobody is watching it any more. */
export function markInterrupted(r: NotebookRunRecord): void {
  if (!runIsActive(r)) return;
  r.state = 'interrupted';
  r.error =
    r.kind === 'colab'
      ? 'the editor closed while it ran — it may still be running on Colab: Check Status reads its status file on Drive'
      : 'the editor closed while it ran';
  delete r.streamId;
}

/**
 * The one progress reading of a run, used by its tree row, its status-bar job and its log: the
 * cell executing now (1-based; where it stopped once it ended), never past the last — `cell`
 * counts finished cells and some counters (Colab's status cells, a kernel's executed count) can
 * run over `total`. Undefined until the number of cells is known.
 */
export function runProgress(r: Pick<NotebookRunRecord, 'state' | 'cell' | 'total'>): { at: number; total: number; label: string } | undefined {
  if (!r.total || r.total < 1) return undefined;
  const finished = Math.min(Math.max(0, r.cell ?? 0), r.total);
  const at = r.state === 'done' ? r.total : Math.min(finished + 1, r.total);
  return { at, total: r.total, label: `cell ${at}/${r.total}` };
}

/** "cell 3/8 · Tesla T4 · running" and the like, for a tree item's description. */
export function describeRun(r: NotebookRunRecord): string {
  const cells = runProgress(r)?.label ?? '';
  // The GPU the runtime reported, unless it only repeats the one asked for ("Colab · T4").
  const gpu = r.gpu && !(r.gpuRequest && r.gpu.replace(/^Tesla /, '') === r.gpuRequest) ? r.gpu : '';
  return [r.target, r.state, cells, gpu].filter(Boolean).join(' · ');
}
