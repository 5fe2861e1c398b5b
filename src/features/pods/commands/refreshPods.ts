import * as vscode from 'vscode';
import type { PodCommandDeps } from './podCommandDeps';

/** Pods: Refresh — immediate, with progress in the view. */
export async function refreshPods(deps: PodCommandDeps): Promise<void> {
  await vscode.window.withProgress({ location: { viewId: 'airlock.pods' } }, () => deps.refresh.refreshNow());
}
