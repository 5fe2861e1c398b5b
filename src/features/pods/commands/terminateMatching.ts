import * as vscode from 'vscode';
import { formatDollars } from '../../../core/pods/cost';
import { matchesMetadata, parseMetadataPairs } from '../../../core/pods/metadata';
import { isCancelled } from '../../../core/process/errors';
import { withCancellableProgress } from '../../progress';
import { type PodCommandDeps, closeTunnel, provider } from './podCommandDeps';
import { UserError } from '../../../core/errors/userError';
import { errorMessage } from '../../../core/text/errorMessage';

/** Pods: Terminate All Matching a metadata filter. */
export async function terminateMatching(deps: PodCommandDeps): Promise<void> {
  const { model } = deps;
  const text = await vscode.window.showInputBox({
    title: 'Terminate all pods whose metadata matches',
    prompt: 'key=value pairs, e.g. project=llm run=ablation-3',
    value: Object.entries(model.filter)
      .map(([k, v]) => (v === undefined ? k : `${k}=${v}`))
      .join(' '),
    ignoreFocusOut: true,
  });
  if (!text?.trim()) return;
  const filter = parseMetadataPairs(text.split(/\s+/).filter(Boolean));
  await model.refresh();
  const victims = model.pods.filter((p) => p.state !== 'terminated' && matchesMetadata(p.metadata, filter));
  if (!victims.length) return void vscode.window.showInformationMessage(`Airlock: no pod matches ${text}.`);
  const ok = await vscode.window.showWarningMessage(
    `Terminate ${victims.length} pod${victims.length === 1 ? '' : 's'} matching ${text}?`,
    { modal: true, detail: victims.map((p) => `${p.name} (${p.id}) · ${formatDollars(p.costPerHour)}/hr`).join('\n') },
    'Terminate All',
  );
  if (ok !== 'Terminate All') return;
  const pr = await provider(deps);
  const failed: string[] = [];
  await withCancellableProgress(`Airlock: terminating ${victims.length} pods…`, async (signal, report) => {
    for (const p of victims) {
      report(p.name);
      try {
        await pr.terminate(p.id, signal);
        closeTunnel(deps, p.id);
        model.update(undefined, p.id);
      } catch (err) {
        if (isCancelled(err)) throw err;
        failed.push(`${p.name}: ${errorMessage(err)}`);
      }
    }
  });
  if (failed.length) throw new UserError(`${failed.length} pod(s) were not terminated — ${failed.join('; ')}`);
  void vscode.window.showInformationMessage(`Airlock: terminated ${victims.length} pod(s).`);
}
