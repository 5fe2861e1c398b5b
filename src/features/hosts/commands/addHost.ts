import * as vscode from 'vscode';
import type { WorkspaceHostEntry } from '../../../core/hosts/hostsFile';
import type { HostCommandDeps } from './hostCommandDeps';
import { suggestHostName } from '../../../core/hosts/suggestName';

/** Hosts: Add Host… — address, name, work directory; then probes it. */
export async function addHost(deps: HostCommandDeps): Promise<void> {
  const file = deps.workspaceHostsFile();
  if (!file) {
    void vscode.window.showWarningMessage('Airlock: open a folder first — hosts for a workspace live in .airlock/hosts.json.');
    return;
  }
  const target = await vscode.window.showInputBox({
    title: 'Add Host (1/3): address',
    prompt: 'user@host[:port], an IP address, or an alias from ~/.ssh/config',
    placeHolder: 'me@10.0.0.5:22',
    ignoreFocusOut: true,
    validateInput: (v) => (/^([^@\s]+@)?[^\s:@]+(:\d{1,5})?$/.test(v.trim()) ? undefined : 'Expected user@host[:port]'),
  });
  if (!target) return;
  const m = /^(?:([^@\s]+)@)?([^\s:@]+)(?::(\d+))?$/.exec(target.trim())!;
  const [, user, host, port] = m;
  const name = await vscode.window.showInputBox({
    title: 'Add Host (2/3): name',
    prompt: 'Name shown in Hosts and used with `airlock --host NAME`',
    value: suggestHostName(host!),
    ignoreFocusOut: true,
    validateInput: (v) =>
      !/^[A-Za-z0-9._-]+$/.test(v)
        ? 'Letters, digits, dot, dash and underscore only'
        : deps.model.host(v) && deps.model.host(v)!.spec.source !== 'ssh-config'
          ? `A host named "${v}" exists already`
          : undefined,
  });
  if (!name) return;
  const workDir = await vscode.window.showInputBox({
    title: 'Add Host (3/3): work directory',
    prompt: 'Where jobs run and whose disk is watched',
    value: '~',
    ignoreFocusOut: true,
  });
  if (workDir === undefined) return;
  const entry: WorkspaceHostEntry = {
    name,
    host: host!,
    ...(user ? { user } : {}),
    ...(port ? { port: Number(port) } : {}),
    ...(workDir && workDir !== '~' ? { workDir } : {}),
  };
  await deps.writeWorkspaceHost(file, entry);
  await deps.model.reload();
  await deps.model.refresh([name]);
  const facts = deps.model.host(name)?.facts;
  if (facts && !facts.reachable) {
    void vscode.window
      .showWarningMessage(`Airlock: added "${name}", but it is not reachable: ${facts.reason}`, 'Open hosts.json')
      .then((a) => a && vscode.window.showTextDocument(file));
  } else {
    void vscode.window.showInformationMessage(`Airlock: added host "${name}".`);
  }
}
