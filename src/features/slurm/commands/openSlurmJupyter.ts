import * as vscode from 'vscode';
import type { SlurmJupyterNode } from '../slurmJupyterNodes';
import { pickJupyterSession, type SlurmJupyterCommandDeps } from './slurmJupyterDeps';

/**
 * Slurm: Open Jupyter — the server's tunnelled URL in the browser. The token goes to the clipboard,
 * not into the URL (a browser keeps its history on disk).
 */
export async function openSlurmJupyter(deps: SlurmJupyterCommandDeps, arg?: SlurmJupyterNode | string): Promise<void> {
  const s = await pickJupyterSession(deps, arg, 'Open which Jupyter server?', (x) => x.phase === 'running');
  if (!s?.server) return;
  const opened = await vscode.env.openExternal(vscode.Uri.parse(s.server.url));
  if (!opened) return;
  await vscode.env.clipboard.writeText(s.server.token);
  void vscode.window.showInformationMessage(`Airlock: opened ${s.server.url} — its token is on your clipboard.`);
}
