import * as vscode from 'vscode';
import { basename, dirname, isAbsolute } from 'node:path';

/**
 * Watches the plan file the `airlock.phases.planPath` setting names (relative to the workspace
 * folder, or absolute), following the setting: call `follow()` when settings or folders change.
 */
export class PlanWatcher implements vscode.Disposable {
  private watcher: vscode.FileSystemWatcher | undefined;
  private subscriptions: vscode.Disposable[] = [];
  private watched: string | undefined;

  constructor(
    private readonly where: () => { folder?: string; planPath: string },
    private readonly onChange: () => void,
  ) {
    this.follow();
  }

  /** Re-targets the watcher when the plan's path changed; returns whether it did. */
  follow(): boolean {
    const { folder, planPath } = this.where();
    const key = folder || isAbsolute(planPath) ? `${folder ?? ''}\0${planPath}` : undefined;
    if (key === this.watched) return false;
    this.watched = key;
    this.disposeWatcher();
    if (key === undefined) return true;
    const pattern = isAbsolute(planPath) ? new vscode.RelativePattern(dirname(planPath), basename(planPath)) : new vscode.RelativePattern(folder!, planPath);
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    this.subscriptions = [this.watcher.onDidChange(this.onChange), this.watcher.onDidCreate(this.onChange), this.watcher.onDidDelete(this.onChange)];
    return true;
  }

  private disposeWatcher(): void {
    for (const d of this.subscriptions) d.dispose();
    this.subscriptions = [];
    this.watcher?.dispose();
    this.watcher = undefined;
  }

  dispose(): void {
    this.disposeWatcher();
  }
}
