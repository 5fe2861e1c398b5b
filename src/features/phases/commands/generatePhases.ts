import * as vscode from 'vscode';
import { generate } from '../../../core/phases/admin';
import { withCancellableProgress } from '../../progress';
import { type PhaseCommandDeps, requirePlan } from './phaseCommandDeps';

/** Phases: Generate — writes and pushes data/phase/<phase>.txt. */
export async function generatePhases(deps: PhaseCommandDeps): Promise<void> {
  const { model } = deps;
  const { plan, folder } = requirePlan(deps);
  const res = await withCancellableProgress('Airlock: generating phase TODO lists…', (signal) => generate(plan, { cloneDir: folder, signal, push: true }));
  void vscode.window.showInformationMessage(
    `Airlock: ${res.map((r) => `${r.phase}: ${r.entries} entries${r.skippedDone ? ` (${r.skippedDone} already done)` : ''}`).join('; ')}.`,
  );
  await model.refresh(false);
}
