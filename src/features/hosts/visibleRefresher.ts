import * as vscode from 'vscode';

/**
 * Refreshes a view's data only while the view is visible: once when it becomes visible (if the
 * data is older than the interval), then every interval. Manual refreshes go straight to `refresh`.
 */
export class VisibleRefresher implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private lastRun = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly view: vscode.TreeView<unknown>,
    private readonly intervalSec: () => number,
    private readonly refresh: () => Promise<void>,
  ) {
    this.subscriptions.push(view.onDidChangeVisibility(() => this.schedule()));
    this.schedule();
  }

  /** Runs now (manual refresh) and restarts the interval. */
  async runNow(): Promise<void> {
    this.lastRun = Date.now();
    try {
      await this.refresh();
    } finally {
      this.schedule();
    }
  }

  /** Re-reads the interval (after a settings change) and re-arms the timer. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.view.visible) return;
    const intervalMs = this.intervalSec() * 1000;
    const dueIn = this.lastRun === 0 ? 0 : intervalMs <= 0 ? Infinity : Math.max(0, this.lastRun + intervalMs - Date.now());
    if (dueIn === Infinity) return;
    this.timer = setTimeout(() => void this.runNow(), dueIn);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subscriptions) d.dispose();
  }
}
