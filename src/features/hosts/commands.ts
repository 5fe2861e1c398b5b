import * as vscode from 'vscode';
import type { HostRunner, HostSpec } from '../../core/hosts/types';
import type { SshConfigHostFields } from '../../core/ssh/sshConfig';
import { HostNode } from './hostNodes';
import { remotePathExpr } from '../../core/shell/quote';
import type { HostsModel } from './hostsModel';
import type { WorkspaceHostEntry } from '../../core/hosts/hostsFile';
import { createSshTerminal, type ShellChannel } from './sshTerminal';
import type { VisibleRefresher } from './visibleRefresher';


export interface HostCommandDeps {
  model: HostsModel;
  refresher: VisibleRefresher;
  /** Runs a command on a host as a job whose output streams into Live Logs. */
  runLogged(runner: HostRunner, title: string, command: string, kind: 'command' | 'tail'): void;
  openShell(spec: HostSpec, size: { rows: number; cols: number }): Promise<ShellChannel>;
  sshCommandLine(spec: HostSpec): Promise<string>;
  /** Resolved address/user/port/identity of an SSH host (after ~/.ssh/config). */
  resolvedSshFields(spec: HostSpec): Promise<SshConfigHostFields>;
  upsertSshConfig(alias: string, fields: SshConfigHostFields): Promise<{ changed: boolean; backup?: string; configPath: string }>;
  workspaceHostsFile(): vscode.Uri | undefined;
  writeWorkspaceHost(file: vscode.Uri, entry: WorkspaceHostEntry): Promise<void>;
}

/** Resolves the host a command acts on: the tree node it was invoked on, or a pick. */
async function pickHost(deps: HostCommandDeps, arg: unknown, placeHolder: string, filter: (s: HostSpec) => boolean = () => true): Promise<HostSpec | undefined> {
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
    hosts.map((h) => ({
      label: h.spec.name,
      description: h.spec.kind === 'local' ? 'this machine' : [h.spec.user, h.spec.hostName].filter(Boolean).join('@'),
      detail: h.facts ? (h.facts.reachable ? undefined : `unreachable: ${h.facts.reason}`) : undefined,
      spec: h.spec,
    })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.spec;
}

export function hostCommands(deps: HostCommandDeps) {
  return {
    async refresh(arg?: unknown): Promise<void> {
      if (arg instanceof HostNode) {
        await deps.model.refresh([arg.name]);
        return;
      }
      await vscode.window.withProgress({ location: { viewId: 'airlock.hosts' }, title: 'Probing hosts' }, () => deps.refresher.runNow());
    },

    async openConfig(): Promise<void> {
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
    },

    async add(): Promise<void> {
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
        value: host!.split('.')[0],
        ignoreFocusOut: true,
        validateInput: (v) => (!/^[A-Za-z0-9._-]+$/.test(v) ? 'Letters, digits, dot, dash and underscore only' : deps.model.host(v) && deps.model.host(v)!.spec.source !== 'ssh-config' ? `A host named "${v}" exists already` : undefined),
      });
      if (!name) return;
      const workDir = await vscode.window.showInputBox({ title: 'Add Host (3/3): work directory', prompt: 'Where jobs run and whose disk is watched', value: '~', ignoreFocusOut: true });
      if (workDir === undefined) return;
      const entry: WorkspaceHostEntry = { name, host: host!, ...(user ? { user } : {}), ...(port ? { port: Number(port) } : {}), ...(workDir && workDir !== '~' ? { workDir } : {}) };
      await deps.writeWorkspaceHost(file, entry);
      await deps.model.reload();
      await deps.model.refresh([name]);
      const facts = deps.model.host(name)?.facts;
      if (facts && !facts.reachable) {
        void vscode.window.showWarningMessage(`Airlock: added "${name}", but it is not reachable: ${facts.reason}`, 'Open hosts.json').then((a) => a && vscode.window.showTextDocument(file));
      } else {
        void vscode.window.showInformationMessage(`Airlock: added host "${name}".`);
      }
    },

    async openTerminal(arg?: unknown): Promise<void> {
      const spec = await pickHost(deps, arg, 'Open a terminal on…');
      if (!spec) return;
      if (spec.kind === 'local') {
        const cwd = spec.workDir && spec.workDir !== '~' ? spec.workDir.replace(/^~/, process.env.HOME ?? '') : undefined;
        vscode.window.createTerminal({ name: 'Airlock: local', cwd }).show();
        return;
      }
      createSshTerminal(spec.name, (size) => deps.openShell(spec, size)).show();
    },

    async runCommand(arg?: unknown, commandArg?: unknown): Promise<void> {
      const spec = await pickHost(deps, arg, 'Run a command on…');
      if (!spec) return;
      const command =
        typeof commandArg === 'string'
          ? commandArg
          : await vscode.window.showInputBox({ title: `Run on ${spec.name}`, prompt: 'Shell command (bash -lc); output streams into Live Logs', placeHolder: 'nvidia-smi', ignoreFocusOut: true });
      if (!command) return;
      deps.runLogged(deps.model.runner(spec.name), `${spec.name}: ${command}`, command, 'command');
    },

    async tailFile(arg?: unknown, pathArg?: unknown): Promise<void> {
      const spec = await pickHost(deps, arg, 'Tail a file on…');
      if (!spec) return;
      const path =
        typeof pathArg === 'string'
          ? pathArg
          : await vscode.window.showInputBox({ title: `Tail a file on ${spec.name}`, prompt: 'Path (follows rotation like tail -F)', placeHolder: '~/runs/train.log', ignoreFocusOut: true });
      if (!path) return;
      // Double quotes (JSON.stringify) would still expand $(…) and backquotes on the host.
      const quoted = remotePathExpr(path);
      deps.runLogged(deps.model.runner(spec.name), `${spec.name}: tail ${path}`, `tail -n 200 -F ${quoted}`, 'tail');
    },

    async copySshCommand(arg?: unknown): Promise<void> {
      const spec = await pickHost(deps, arg, 'Copy the SSH command for…', (s) => s.kind === 'ssh');
      if (!spec) return;
      const line = await deps.sshCommandLine(spec);
      await vscode.env.clipboard.writeText(line);
      void vscode.window.showInformationMessage(`Airlock: copied \`${line}\``);
    },

    async writeSshConfig(arg?: unknown): Promise<void> {
      const spec = await pickHost(deps, arg, 'Write a ~/.ssh/config entry for…', (s) => s.kind === 'ssh');
      if (!spec) return;
      const fields = await deps.resolvedSshFields(spec);
      const summary = Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`).join(', ');
      const ok = await vscode.window.showInformationMessage(
        `Write "Host ${spec.name}" to your SSH config?`,
        { modal: true, detail: `${summary}\n\nOther entries are left untouched and a backup of the previous file is kept.` },
        'Write Entry',
      );
      if (ok !== 'Write Entry') return;
      const r = await deps.upsertSshConfig(spec.name, fields);
      void vscode.window.showInformationMessage(
        r.changed ? `Airlock: updated "Host ${spec.name}" in ${r.configPath}${r.backup ? ` (backup: ${r.backup})` : ''}.` : `Airlock: "Host ${spec.name}" in ${r.configPath} is already up to date.`,
      );
    },
  };
}
