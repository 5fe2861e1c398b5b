import * as vscode from 'vscode';
import type { HostCommandDeps } from './hostCommandDeps';

/** Hosts: Open Hosts Configuration (.airlock/hosts.json, created when missing). */
export async function openHostsConfig(deps: HostCommandDeps): Promise<void> {
  const file = deps.workspaceHostsFile();
  if (!file) {
    void vscode.window.showWarningMessage('Airlock: open a folder first — hosts for a workspace live in .airlock/hosts.json.');
    return;
  }
  try {
    await vscode.workspace.fs.stat(file);
  } catch {
    await vscode.workspace.fs.writeFile(file, Buffer.from('// Airlock hosts for this workspace. Type "airlock-host" for a snippet.\n{\n  "hosts": []\n}\n'));
  }
  await vscode.window.showTextDocument(file);
}
