import * as vscode from 'vscode';
import { HostNode } from '../hostNodes';
import { createSshTerminal } from '../sshTerminal';
import { type HostCommandDeps, pickHost } from './hostCommandDeps';

/** Hosts: Open Terminal (local shell or SSH on the shared pool). */
export async function openHostTerminal(deps: HostCommandDeps, arg?: HostNode | string): Promise<void> {
  const spec = await pickHost(deps, arg, 'Open a terminal on…');
  if (!spec) return;
  if (spec.kind === 'local') {
    const cwd = spec.workDir && spec.workDir !== '~' ? spec.workDir.replace(/^~/, process.env.HOME ?? '') : undefined;
    vscode.window.createTerminal({ name: 'Airlock: local', cwd }).show();
    return;
  }
  createSshTerminal(spec.name, (size) => deps.openShell(spec, size)).show();
}
