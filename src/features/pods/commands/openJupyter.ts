import * as vscode from 'vscode';
import { PodNode } from '../podNodes';
import { type PodCommandDeps, jupyterSecret, pickPod, provider } from './podCommandDeps';
import { UserError } from '../../../core/errors/userError';

/** Pods: Open Jupyter through RunPod's HTTPS proxy (the password goes to the clipboard). */
export async function openJupyter(deps: PodCommandDeps, arg?: PodNode | string): Promise<void> {
  const pod = await pickPod(deps, arg, 'Open Jupyter on…', (p) => p.state === 'running');
  if (!pod) return;
  const pr = await provider(deps);
  const url = pr.proxyUrl(pod.id, 8888);
  if (!url) throw new UserError('this provider has no HTTPS proxy; use "Start SSH Tunnel to Jupyter".');
  const password = (await deps.secrets.get(jupyterSecret(pod.id))) ?? (await pr.jupyterPassword(pod.id));
  // openExternal resolves false when the user cancels VS Code's "Open external website?" dialog:
  // then nothing was opened and the password stays off the clipboard.
  const opened = await vscode.env.openExternal(vscode.Uri.parse(url));
  if (!opened) return;
  if (password) await vscode.env.clipboard.writeText(password);
  void vscode.window.showInformationMessage(
    password ? `Airlock: opened ${url} — the Jupyter password is on your clipboard.` : `Airlock: opened ${url} (no password stored for this pod).`,
  );
}
