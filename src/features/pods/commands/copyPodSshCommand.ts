import * as vscode from 'vscode';
import { sshCommand, sshEndpoint } from '../../../core/pods/endpoints';
import { PodNode } from '../podNodes';
import { type PodCommandDeps, pickPod } from './podCommandDeps';
import { UserError } from '../../../core/errors/userError';

/** Pods: Copy SSH Command (with the Jupyter port forward). */
export async function copyPodSshCommand(deps: PodCommandDeps, arg?: PodNode | string): Promise<void> {
  const pod = await pickPod(deps, arg, 'Copy the SSH command for…', (p) => p.state === 'running');
  if (!pod) return;
  const ssh = sshEndpoint(pod);
  if (!ssh) throw new UserError(`${pod.name} has no public SSH port yet.`);
  const cmd = sshCommand(ssh, { localPort: 8888, remotePort: 8888 });
  await vscode.env.clipboard.writeText(cmd);
  void vscode.window.showInformationMessage(`Airlock: copied "${cmd}"`);
}
