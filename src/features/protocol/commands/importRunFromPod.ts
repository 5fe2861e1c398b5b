import * as vscode from 'vscode';
import { basename } from 'node:path';
import { PodNode } from '../../pods/podNodes';
import { type PodCommandDeps, pickPod, podSshSpec } from '../../pods/commands/podCommandDeps';
import { podRunSource, podWorkDir } from '../../../core/journal/podRunSource';
import { importIntoWorkspace } from './importRunShared';

/** Import Run on a running pod's row: its work directory over SSH, with the pod's GPU and cost so far in the journal entry. */
export async function importRunFromPod(deps: PodCommandDeps, arg?: PodNode | string, dirArg?: string): Promise<void> {
  const pod = await pickPod(deps, arg, 'Import a run from which pod?', (p) => p.state === 'running');
  if (!pod) return;
  const spec = podSshSpec(pod);
  const dir =
    typeof dirArg === 'string'
      ? dirArg
      : await vscode.window.showInputBox({ title: `Run directory on pod ${pod.name}`, value: podWorkDir(), ignoreFocusOut: true });
  if (!dir) return;
  const run = basename(dir.replace(/\/+$/, '')) || pod.name;
  await importIntoWorkspace(`pod ${pod.name}:${dir}`, run, (config, signal) =>
    podRunSource(deps.hosts.runnerForSpec(spec), pod, dir, { include: config.include, signal }),
  );
}
