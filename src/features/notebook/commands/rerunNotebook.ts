import * as vscode from 'vscode';
import { runIsActive, type NotebookRunRecord } from '../../../core/notebook/notebookRun';
import type { GpuChoice } from '../../../core/notebook/render';
import { dispatchNotebook } from '../dispatchFlow';
import type { NotebookDeps } from '../notebookDeps';
import { pickRun, type RunTarget } from './pickRun';

/** Notebooks: Run Again — same notebook, parameters and target. */
export async function rerunNotebook(d: NotebookDeps, target?: RunTarget): Promise<NotebookRunRecord | undefined> {
  const r = await pickRun(d, target, 'run again', (x) => !runIsActive(x));
  if (!r) return undefined;
  const source = vscode.workspace.workspaceFolders?.[0] ? vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, r.source) : vscode.Uri.file(r.source);
  return dispatchNotebook(d, source, {
    set: r.params ?? {},
    // A Colab run goes back to Colab with its GPU; a Jupyter run's pick opens on its own server.
    ...(r.kind === 'colab' ? { target: 'colab' as const, gpu: (r.gpuRequest ?? 'T4') as GpuChoice } : { preferTarget: r.server ?? r.target }),
  });
}
