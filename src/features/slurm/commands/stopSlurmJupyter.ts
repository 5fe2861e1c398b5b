import * as vscode from 'vscode';
import { withCancellableProgress } from '../../progress';
import type { SlurmJupyterNode } from '../slurmJupyterNodes';
import { pickJupyterSession, type SlurmJupyterCommandDeps } from './slurmJupyterDeps';

/** Slurm: Stop Jupyter — scancel, wait until Slurm ended the job, tunnel closed, token removed. */
export async function stopSlurmJupyter(deps: SlurmJupyterCommandDeps, arg?: SlurmJupyterNode | string): Promise<boolean> {
  const s = await pickJupyterSession(deps, arg, 'Stop which Jupyter server?', (x) => x.phase !== 'stopping');
  if (!s) return false;
  const what = `Jupyter ${s.jobId ? `job ${s.jobId}` : ''} on ${s.cluster}`;
  const state = await withCancellableProgress(`Airlock: stopping ${what} (scancel)…`, () => deps.jupyter.stop(s.key));
  void deps.clusters.load(s.cluster);
  void vscode.window.showInformationMessage(`Airlock: ${what} ${state ? state.toLowerCase() : 'stopped'}.`);
  return true;
}
