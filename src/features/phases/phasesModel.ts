// The Phases view's state: the plan of the workspace clone and the queue's status on the remote,
// read without touching the user's checkout; plus the workers started from this editor.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readQueueStatus, type QueueStatus } from '../../core/phases/admin';
import { loadPlan, type PhasePlan } from '../../core/phases/plan';
import type { WorkerHandle } from '../../core/phases/workerLaunch';
import { errorMessage } from '../../core/text/errorMessage';

export class PhasesModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  plan: PhasePlan | undefined;
  planError: string | undefined;
  status: QueueStatus | undefined;
  statusError: string | undefined;
  loaded = false;
  readonly workers: WorkerHandle[] = [];
  private inflight: Promise<void> | undefined;
  /** The run queued behind the one in flight: every caller that came during it awaits this one. */
  private next: Promise<void> | undefined;

  constructor(private readonly where: () => { folder?: string; planPath: string }) {}

  get folder(): string | undefined {
    return this.where().folder;
  }
  get planFile(): string | undefined {
    const { folder, planPath } = this.where();
    return folder ? resolve(folder, planPath) : undefined;
  }

  /**
   * Re-reads the plan and the queue; overlapping calls coalesce into one more run. A caller that comes
   * while a read is in flight gets the run after it — the one in flight may have read the plan before
   * the caller changed it (awaiting it returned the old plan).
   */
  refresh(fetch = true): Promise<void> {
    if (this.inflight) {
      this.next ??= this.inflight
        .catch(() => undefined)
        .then(() => {
          this.next = undefined;
          return this.refresh(fetch);
        });
      return this.next;
    }
    this.inflight = this.load(fetch).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load(fetch: boolean): Promise<void> {
    const { folder, planPath } = this.where();
    try {
      if (!folder || !existsSync(resolve(folder, planPath))) {
        this.plan = undefined;
        this.planError = undefined;
        this.status = undefined;
        return;
      }
      try {
        this.plan = await loadPlan(resolve(folder, planPath), planPath);
        this.planError = undefined;
      } catch (err) {
        this.plan = undefined;
        this.planError = errorMessage(err);
        return;
      }
      try {
        this.status = await readQueueStatus(this.plan, { cloneDir: folder, fetch });
        this.statusError = undefined;
      } catch (err) {
        this.statusError = errorMessage(err);
      }
    } finally {
      this.loaded = true;
      this.changed.fire();
    }
  }

  addWorker(w: WorkerHandle): void {
    this.workers.push(w);
    void w.exited.then(() => {
      this.workers.splice(this.workers.indexOf(w), 1);
      this.changed.fire();
    });
    this.changed.fire();
  }

  fire(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
