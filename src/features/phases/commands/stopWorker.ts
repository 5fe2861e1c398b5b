import * as vscode from 'vscode';
import { WorkerNode } from '../phaseNodes';
import type { PhaseCommandDeps } from './phaseCommandDeps';

/** Phases: Stop Worker (its claim is released). */
export async function stopWorker(deps: PhaseCommandDeps, arg?: WorkerNode): Promise<void> {
  const { model } = deps;
  let w = arg instanceof WorkerNode ? arg.worker : undefined;
  if (!w) {
    if (!model.workers.length) return void vscode.window.showInformationMessage('Airlock: no phase worker was started from this window.');
    w = (await vscode.window.showQuickPick(model.workers.map((x) => ({ label: x.name, description: x.where, x }))))?.x;
  }
  w?.stop();
}
