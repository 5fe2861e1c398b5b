import * as vscode from 'vscode';
import type { PhaseCommandDeps } from './phaseCommandDeps';

/** Phases: Refresh — fetches the queue now. */
export async function refreshPhases(deps: PhaseCommandDeps): Promise<void> {
  await vscode.window.withProgress({ location: { viewId: 'airlock.phases' } }, () => deps.refresh.refreshNow());
}
