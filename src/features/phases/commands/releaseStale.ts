import * as vscode from 'vscode';
import { releaseStaleClaims } from '../../../core/phases/admin';
import { withCancellableProgress } from '../../progress';
import { type PhaseCommandDeps, requirePlan } from './phaseCommandDeps';

/** Phases: Release Stale Claims (after a modal confirmation). */
export async function releaseStale(deps: PhaseCommandDeps): Promise<void> {
  const { model } = deps;
  const { folder } = requirePlan(deps);
  const stale = model.status?.phases.flatMap((p) => p.entries.filter((e) => e.state === 'stale')) ?? [];
  if (!stale.length) return void vscode.window.showInformationMessage('Airlock: no stale claims (every claim has a live lease).');
  const ok = await vscode.window.showWarningMessage(
    `Release ${stale.length} stale claim(s)? Their workers stopped refreshing the lease; the entries go back to the queue.`,
    {
      modal: true,
      detail: stale
        .slice(0, 10)
        .map((e) => `${e.entry} — ${e.claim?.host}`)
        .join('\n'),
    },
    'Release',
  );
  if (ok !== 'Release') return;
  const released = await withCancellableProgress('Airlock: releasing stale claims…', (signal) => releaseStaleClaims({ cloneDir: folder, signal }));
  void vscode.window.showInformationMessage(`Airlock: released ${released.length} stale claim(s).`);
  await model.refresh(false);
}
