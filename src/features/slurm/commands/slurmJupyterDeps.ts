// What the Jupyter-on-Slurm commands need, and how they find the server they act on: the row
// they were invoked on, or a pick among the servers this window started.
import * as vscode from 'vscode';
import type { SlurmJupyterSession, SlurmJupyterSessions } from '../slurmJupyterSessions';
import { SlurmJupyterNode } from '../slurmJupyterNodes';
import type { SlurmCommandDeps } from './slurmCommandDeps';

export interface SlurmJupyterCommandDeps extends SlurmCommandDeps {
  jupyter: SlurmJupyterSessions;
  /** Shell lines run on the node before the server starts (setting `airlock.slurm.jupyterSetup`). */
  setup(): string;
}

/** The server a command acts on: the row, a key (`<cluster>:<jobId>`), or a pick. */
export async function pickJupyterSession(
  deps: SlurmJupyterCommandDeps,
  arg: SlurmJupyterNode | string | undefined,
  placeHolder: string,
  filter: (s: SlurmJupyterSession) => boolean,
): Promise<SlurmJupyterSession | undefined> {
  if (arg instanceof SlurmJupyterNode) return deps.jupyter.get(arg.key);
  if (typeof arg === 'string') return deps.jupyter.get(arg.replace(/^slurm:/, ''));
  const list = deps.jupyter.list().filter(filter);
  if (!list.length) {
    void vscode.window.showInformationMessage('Airlock: no Jupyter server on Slurm in this window — Start Jupyter on Slurm… starts one.');
    return undefined;
  }
  if (list.length === 1) return list[0];
  const picked = await vscode.window.showQuickPick(
    list.map((s) => ({ label: `${s.cluster}: job ${s.jobId ?? '…'}`, description: [s.node, s.phase, s.server?.url].filter(Boolean).join(' · '), s })),
    { placeHolder },
  );
  return picked?.s;
}
