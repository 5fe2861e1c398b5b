import * as vscode from 'vscode';
import { HostNode } from '../hostNodes';
import { type HostCommandDeps, pickHost } from './hostCommandDeps';

/** Hosts: Copy SSH Command. */
export async function copyHostSshCommand(deps: HostCommandDeps, arg?: HostNode | string): Promise<void> {
  const spec = await pickHost(deps, arg, 'Copy the SSH command for…', (s) => s.kind === 'ssh');
  if (!spec) return;
  const line = await deps.sshCommandLine(spec);
  await vscode.env.clipboard.writeText(line);
  void vscode.window.showInformationMessage(`Airlock: copied \`${line}\``);
}
