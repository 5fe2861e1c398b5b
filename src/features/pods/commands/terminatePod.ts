import * as vscode from 'vscode';
import { formatDollars } from '../../../core/pods/cost';
import { withCancellableProgress } from '../../progress';
import { PodNode } from '../podNodes';
import { type PodCommandDeps, closeTunnel, jupyterSecret, pickPod, provider } from './podCommandDeps';

/** Pods: Terminate Pod (after a modal confirmation). */
export async function terminatePod(deps: PodCommandDeps, arg?: PodNode | string): Promise<void> {
  const { model } = deps;
  const pod = await pickPod(deps, arg, 'Terminate which pod?', () => true);
  if (!pod) return;
  const ok = await vscode.window.showWarningMessage(
    `Terminate pod "${pod.name}"?`,
    {
      modal: true,
      detail: `${pod.gpuCount}× ${pod.gpuName ?? '?'} · ${formatDollars(pod.costPerHour)}/hr. Its container disk and volume are deleted; this cannot be undone.`,
    },
    'Terminate',
  );
  if (ok !== 'Terminate') return;
  const pr = await provider(deps);
  await withCancellableProgress(`Airlock: terminating ${pod.name}…`, (signal) => pr.terminate(pod.id, signal));
  closeTunnel(deps, pod.id);
  await deps.secrets.delete(jupyterSecret(pod.id));
  model.update(undefined, pod.id);
}
