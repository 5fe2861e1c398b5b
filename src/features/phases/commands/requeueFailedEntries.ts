import * as vscode from 'vscode';
import { requeueFailed } from '../../../core/phases/admin';
import { withCancellableProgress } from '../../progress';
import { GroupNode, PhaseNode } from '../phaseNodes';
import { type PhaseCommandDeps, requirePlan, phaseOf } from './phaseCommandDeps';

/** Phases: Requeue Failed entries of a phase (or all). */
export async function requeueFailedEntries(deps: PhaseCommandDeps, arg?: PhaseNode | GroupNode | string): Promise<void> {
  const { model } = deps;
  const { plan, folder } = requirePlan(deps);
  const phase = phaseOf(arg);
  const failed = model.status?.phases.filter((p) => !phase || p.phase === phase).reduce((n, p) => n + p.counts.failed, 0) ?? 0;
  if (!failed) return void vscode.window.showInformationMessage('Airlock: no failed entries.');
  const ok = await vscode.window.showWarningMessage(
    `Requeue ${failed} failed entr${failed === 1 ? 'y' : 'ies'}${phase ? ` of ${phase}` : ''}? Their failure records are removed and workers take them again.`,
    { modal: true },
    'Requeue',
  );
  if (ok !== 'Requeue') return;
  const done = await withCancellableProgress('Airlock: requeueing failed entries…', (signal) =>
    requeueFailed(plan, { cloneDir: folder, signal, ...(phase ? { phase } : {}) }),
  );
  void vscode.window.showInformationMessage(`Airlock: requeued ${done.length} entr${done.length === 1 ? 'y' : 'ies'}.`);
  await model.refresh(false);
}
