// The notebook runs this workspace has seen — Colab dispatches and Jupyter runs — kept in workspace
// state so finished runs (their Drive links, results, errors) survive a window reload. A run that
// was going when the window closed comes back "interrupted", never falsely "running".
import * as vscode from 'vscode';
import { markInterrupted, runIsActive, type NotebookRunRecord } from '../../core/notebook/notebookRun';

const stateKey = 'airlock.notebookRuns';
const keep = 50;

export class NotebookRunsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NotebookRunRecord | undefined>();
  readonly onDidChange = this.changed.event;
  readonly runs: NotebookRunRecord[];
  private readonly controllers = new Map<string, AbortController>();
  private saveTimer: NodeJS.Timeout | undefined;
  /** Jupyter runs of this window: where to fetch their written files (the token never leaves memory). */
  readonly connections = new Map<string, { server: string; token: string }>();

  constructor(private readonly memento: vscode.Memento) {
    this.runs = (memento.get<NotebookRunRecord[]>(stateKey) ?? []).map((r) => ({ ...r }));
    for (const r of this.runs) markInterrupted(r);
  }

  /** Adds a run; its AbortController is what Cancel Run aborts. */
  add(run: Omit<NotebookRunRecord, 'id' | 'startedAt'>): { run: NotebookRunRecord; signal: AbortSignal } {
    const r: NotebookRunRecord = { ...run, id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`, startedAt: Date.now() };
    this.runs.unshift(r);
    const ctl = new AbortController();
    this.controllers.set(r.id, ctl);
    this.update(r);
    return { run: r, signal: ctl.signal };
  }

  get(id: string): NotebookRunRecord | undefined {
    return this.runs.find((r) => r.id === id);
  }

  /** Call after changing a run: refreshes its tree item and saves (debounced). */
  update(r?: NotebookRunRecord): void {
    if (r && !runIsActive(r)) this.controllers.delete(r.id);
    this.changed.fire(r);
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, 300);
  }

  cancel(id: string): boolean {
    const ctl = this.controllers.get(id);
    ctl?.abort();
    return !!ctl;
  }

  isFollowed(id: string): boolean {
    return this.controllers.has(id);
  }

  clearFinished(): void {
    for (let i = this.runs.length - 1; i >= 0; i--) if (!runIsActive(this.runs[i]!)) this.runs.splice(i, 1);
    this.update();
  }

  private save(): Thenable<void> {
    // Stream ids belong to this window's Live Logs; the newest runs are enough to remember.
    return this.memento.update(
      stateKey,
      this.runs.slice(0, keep).map(({ streamId: _s, ...r }) => r),
    );
  }

  dispose(): void {
    for (const c of this.controllers.values()) c.abort();
    if (this.saveTimer) clearTimeout(this.saveTimer);
    void this.save();
    this.changed.dispose();
  }
}
