// What the host commands need (narrow, so each command file shows its dependencies) and picking
// the host a command acts on.
import * as vscode from 'vscode';
import type { HostFacts, HostRunner, HostSpec } from '../../../core/hosts/types';
import type { SshConfigHostFields } from '../../../core/ssh/sshConfig';
import type { WorkspaceHostEntry } from '../../../core/hosts/hostsFile';
import type { TreeRefresh } from '../../tree/treeRefresh';
import { HostNode, type HostsTreeNode } from '../hostNodes';
import type { HostsModel } from '../hostsModel';
import type { ShellChannel } from '../sshTerminal';

export interface HostCommandDeps {
  model: HostsModel;
  /** The view's refresh: a manual Refresh goes through it. */
  refresh: TreeRefresh<HostsTreeNode>;
  /** Runs a command on a host as a job whose output streams into Live Logs. */
  runLogged(runner: HostRunner, title: string, command: string, kind: 'command' | 'tail'): void;
  openShell(spec: HostSpec, size: { rows: number; cols: number }): Promise<ShellChannel>;
  sshCommandLine(spec: HostSpec): Promise<string>;
  /** Resolved address/user/port/identity of an SSH host (after ~/.ssh/config). */
  resolvedSshFields(spec: HostSpec): Promise<SshConfigHostFields>;
  upsertSshConfig(alias: string, fields: SshConfigHostFields): Promise<{ changed: boolean; backup?: string; configPath: string }>;
  workspaceHostsFile(): vscode.Uri | undefined;
  writeWorkspaceHost(file: vscode.Uri, entry: WorkspaceHostEntry): Promise<void>;
  /** Runs the host's stopCommand on this machine (output into the Airlock log); throws with the output on failure. */
  stopHost(spec: HostSpec, signal: AbortSignal): Promise<void>;
  /** After a stop: re-resolve the address (now and on later reloads) and offer the ssh-config update when it changed. */
  stoppedHost(spec: HostSpec, before: SshConfigHostFields | undefined): Promise<void>;
}

/** Resolves the host a command acts on: the tree node it was invoked on, or a pick. */
export async function pickHost(
  deps: HostCommandDeps,
  arg: HostNode | string | undefined,
  placeHolder: string,
  filter: (s: HostSpec) => boolean = () => true,
): Promise<HostSpec | undefined> {
  if (arg instanceof HostNode) return arg.view.spec;
  // A command run from the palette or another extension can arrive before the first load finishes.
  if (!deps.model.isLoaded) await deps.model.reload();
  if (typeof arg === 'string') {
    const spec = deps.model.host(arg)?.spec;
    if (!spec) void vscode.window.showErrorMessage(`Airlock: there is no host named "${arg}". Hosts come from ~/.ssh/config and .airlock/hosts.json.`);
    return spec;
  }
  const hosts = deps.model.hosts.filter((h) => filter(h.spec));
  if (!hosts.length) {
    void vscode.window.showInformationMessage('Airlock: no matching host. Add one with "Airlock: Add Host…".');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    hosts.map((h) => ({ ...hostPickItem(h), spec: h.spec })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.spec;
}

/** A host in a quick pick: its name, `user@address` (or "this machine"), and why it is unreachable when the last probe said so. */
export function hostPickItem(h: { spec: HostSpec; facts?: HostFacts }): vscode.QuickPickItem {
  return {
    label: h.spec.name,
    description: h.spec.kind === 'local' ? 'this machine' : [h.spec.user, h.spec.hostName].filter(Boolean).join('@'),
    detail: h.facts ? (h.facts.reachable ? undefined : `unreachable: ${h.facts.reason}`) : undefined,
  };
}
