import * as vscode from 'vscode';
import type { SweepsFeature } from '../sweepsFeature';

/**
 * Sweeps: Clear Finished — asks first (the runs' rows and their links go; files on disk stay),
 * then says what it removed.
 */
export async function clearSweeps(sweeps: SweepsFeature): Promise<void> {
  const finished = sweeps.runs.filter((r) => r.state !== 'running').length;
  const running = sweeps.runs.length - finished;
  if (!finished) {
    void vscode.window.showInformationMessage(`Airlock: no finished sweeps to clear${running ? ` (${running} still running)` : ''}.`);
    return;
  }
  const answer = await vscode.window.showWarningMessage(
    `Clear ${finished} finished sweep${finished === 1 ? '' : 's'} from the Sweeps view?`,
    { modal: true, detail: 'Their results, logs and matrices stay on disk; only the rows go.' },
    'Clear',
  );
  if (answer !== 'Clear') return;
  sweeps.clear();
  void vscode.window.showInformationMessage(
    `Airlock: cleared ${finished} finished sweep${finished === 1 ? '' : 's'}${running ? `; ${running} still running` : ''}.`,
  );
}
