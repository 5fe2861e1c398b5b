import * as vscode from 'vscode';
import { join } from 'node:path';
import { contextKeys, viewIds } from '../../ids';
import { createHostRunner } from '../../core/hosts/hostRunners';
import { readAllHostBundleRecords } from '../../core/bundle/records';
import { loadHostInventory, workspaceHostsFile } from '../../core/hosts/inventory';
import { writeWorkspaceHost } from '../../core/hosts/hostsFile';
import { probeHost } from '../../core/hosts/probe';
import { parseTiers, resolveTier } from '../../core/hosts/tiers';
import type { HostRunner, HostSpec } from '../../core/hosts/types';
import { SshRunner } from '../../core/hosts/sshRunner';
import { SshConnectionPool } from '../../core/ssh/connectionPool';
import { resolveSshTarget } from '../../core/ssh/sshTarget';
import { upsertSshConfigHost } from '../../core/ssh/sshConfig';
import { readSettings, onSettingsChanged, type AirlockSettings } from '../settings';
import type { HostCommandDeps } from './commands/hostCommandDeps';
import type { HostsTreeNode } from './hostNodes';
import { editorHostKeyPolicy, editorPassphrasePrompt } from './editorHostKeyPolicy';
import { HostsModel } from './hostsModel';
import { HostsTreeProvider } from './hostsTreeProvider';
import { sshCommandLineForHost } from '../../core/ssh/sshCommandLine';
import { createSshTerminal, type ShellChannel } from './sshTerminal';
import { TreeRefresh } from '../tree/treeRefresh';
import { ClusterModel } from '../slurm/clusterModel';
import { SyncModel } from './syncModel';
import { SlurmJupyterSessions } from '../slurm/slurmJupyterSessions';
import { registerSlurmJupyterServers } from '../slurm/slurmJupyterKernels';
import { RefreshSchedule } from '../../core/refresh/refreshSchedule';
import { stopHost } from '../../core/hosts/stopHost';
import { HostCostGuard } from './hostCostGuard';

export interface HostsFeature {
  model: HostsModel;
  /** The Slurm clusters among the hosts: partitions and my jobs. */
  clusters: ClusterModel;
  /** The checkpoint syncs started on hosts and their last status read. */
  syncs: SyncModel;
  /** Jupyter servers this window started on clusters' compute nodes (stopped when it closes). */
  slurmJupyter: SlurmJupyterSessions;
  /** What the host commands work with. */
  commandDeps: HostCommandDeps;
  /** A runner for a machine that is not in the inventory (a pod), on the shared SSH pool. */
  runnerForSpec(spec: HostSpec): HostRunner;
  /** A real terminal over SSH to such a machine. */
  openTerminalFor(spec: HostSpec): vscode.Terminal;
}

type RunLogged = (runner: HostRunner, title: string, command: string, kind: 'command' | 'tail') => void;

/** Builds the Hosts view: inventory + probes + SSH pool + commands. */
export function createHostsFeature(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, runLogged: RunLogged): HostsFeature {
  let settings = readSettings();
  const policy = editorHostKeyPolicy(log);
  const makePool = (s: AirlockSettings) =>
    new SshConnectionPool({
      hostKeyPolicy: policy,
      keepaliveIntervalSec: s.sshKeepaliveIntervalSec,
      connectTimeoutSec: s.sshConnectTimeoutSec,
      askPassphrase: editorPassphrasePrompt,
    });
  let pool = makePool(settings);
  let runners = new Map<string, HostRunner>();
  const folder = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;

  const model = new HostsModel({
    async loadHosts() {
      const inv = await loadHostInventory({
        workspaceDir: folder(),
        sshConfigPath: settings.sshConfigPath,
        includeSshConfigAliases: settings.hostsShowSshConfigAliases,
        defaultWorkDir: settings.hostsWorkDir,
      });
      // Runners are rebuilt so edited host settings take effect.
      runners = new Map();
      const dir = folder();
      return {
        hosts: inv.hosts,
        problems: inv.errors.map((e) => ({ file: dir && !e.file.startsWith('/') ? join(dir, e.file) : e.file, line: e.line, message: e.message })),
      };
    },
    async loadBundles() {
      const dir = folder();
      return dir ? readAllHostBundleRecords(dir) : new Map();
    },
    runnerFor(host: HostSpec) {
      let r = runners.get(host.name);
      if (!r) runners.set(host.name, (r = createHostRunner(host, pool, { sshConfigPath: settings.sshConfigPath })));
      return r;
    },
    probe(host, runner, signal) {
      return probeHost(runner, { signal, timeoutMs: (settings.sshConnectTimeoutSec + 10) * 1000, workDir: host.workDir });
    },
    tierLabel(host, facts) {
      return resolveTier(host, facts, parseTiers(settings.tiers).tiers)?.label;
    },
  });

  const syncs = new SyncModel(context.workspaceState, model);
  const refresh = new TreeRefresh<HostsTreeNode>({
    intervalSec: () => settings.hostsRefreshIntervalSec,
    load: async () => void (await Promise.all([model.refresh(), syncs.refresh()])),
  });
  const clusters = new ClusterModel(model);
  const slurmJupyter = new SlurmJupyterSessions(log);
  const tree = new HostsTreeProvider(model, () => settings.hostsDiskWarnPercent, refresh, clusters, syncs, slurmJupyter);
  const view = vscode.window.createTreeView(viewIds.hosts, { treeDataProvider: tree, showCollapseAll: true });
  refresh.attach(view);
  // Jobs change faster than hosts: expanded clusters are re-read on their own interval, while the view is visible.
  const clusterPoll = new RefreshSchedule<never>({
    visible: () => view.visible,
    intervalSec: () => settings.slurmRefreshIntervalSec,
    load: () => clusters.refresh(),
    fire: () => undefined,
  });
  clusterPoll.schedule();
  const syncPoll = new RefreshSchedule<never>({
    visible: () => view.visible,
    intervalSec: () => settings.syncRefreshIntervalSec,
    load: () => syncs.refresh(),
    fire: () => undefined,
  });
  syncPoll.schedule();
  model.onDidChange(() => {
    void vscode.commands.executeCommand('setContext', contextKeys.hostsLoaded, model.isLoaded);
    const full = model.hosts.filter((h) => h.facts?.reachable && h.facts.disk && h.facts.disk.usedPct >= settings.hostsDiskWarnPercent);
    view.badge = full.length
      ? { value: full.length, tooltip: `${full.map((h) => h.spec.name).join(', ')}: disk ≥ ${settings.hostsDiskWarnPercent}% full` }
      : undefined;
  });

  const resolveFields = async (spec: HostSpec) => {
    const t = await resolveSshTarget(spec, { sshConfigPath: settings.sshConfigPath });
    return { HostName: t.host, User: t.user, Port: t.port === 22 ? undefined : t.port, IdentityFile: t.identityFiles[0] };
  };
  const costGuard = new HostCostGuard(
    model,
    resolveFields,
    () => view.visible,
    () => settings.hostsRefreshIntervalSec,
  );

  const sshRunner = (spec: HostSpec): SshRunner => {
    const r = model.runner(spec.name);
    if (!(r instanceof SshRunner)) throw new Error(`${spec.name} is not an SSH host`);
    return r;
  };

  const commandDeps: HostCommandDeps = {
    model,
    refresh,
    runLogged,
    async openShell(spec, size): Promise<ShellChannel> {
      const client = await sshRunner(spec).connection();
      return new Promise((resolve, reject) =>
        client.shell({ term: 'xterm-256color', rows: size.rows, cols: size.cols }, (err, ch) => (err ? reject(err) : resolve(ch))),
      );
    },
    async sshCommandLine(spec) {
      return sshCommandLineForHost(await resolveSshTarget(spec, { sshConfigPath: settings.sshConfigPath }), spec);
    },
    resolvedSshFields: resolveFields,
    async upsertSshConfig(alias, fields) {
      const r = await upsertSshConfigHost(settings.sshConfigPath, alias, fields);
      // Runners cache resolved addresses; reloading rebuilds them from the new config.
      await model.reload();
      // The file that was edited: the included one when the alias is defined there.
      return { changed: r.created || r.changes.length > 0, backup: r.backupPath, configPath: r.file };
    },
    workspaceHostsFile() {
      const dir = folder();
      return dir ? vscode.Uri.file(workspaceHostsFile(dir)) : undefined;
    },
    async writeWorkspaceHost(file, entry) {
      await writeWorkspaceHost(file.fsPath, entry);
    },
    async stopHost(spec, signal) {
      log.info(`Stop Host ${spec.name}: running here: ${spec.stopCommand ?? ''}`);
      await stopHost(spec, {
        signal,
        cwd: folder(),
        onStdout: (l) => log.info(`[${spec.name} stop] ${l}`),
        onStderr: (l) => log.warn(`[${spec.name} stop] ${l}`),
      });
    },
    stoppedHost: (spec, before) => costGuard.stoppedHost(spec, before),
  };

  const hostsJsonWatcher = vscode.workspace.createFileSystemWatcher('**/.airlock/hosts.json');
  const reloadSoon = debounce(() => void model.reload().then(() => model.refresh()), 300);
  context.subscriptions.push(
    model,
    costGuard,
    clusters,
    slurmJupyter,
    registerSlurmJupyterServers(slurmJupyter),
    clusters.onDidChange((name) => slurmJupyter.reconcile(name, clusters.view(name)?.jobs, clusters.view(name)?.readAt)),
    tree,
    view,
    view.onDidChangeVisibility(() => clusterPoll.schedule()),
    { dispose: () => clusterPoll.dispose() },
    syncs,
    view.onDidChangeVisibility(() => syncPoll.schedule()),
    { dispose: () => syncPoll.dispose() },
    refresh,
    hostsJsonWatcher,
    hostsJsonWatcher.onDidChange(reloadSoon),
    hostsJsonWatcher.onDidCreate(reloadSoon),
    hostsJsonWatcher.onDidDelete(reloadSoon),
    onSettingsChanged((next) => {
      const sshChanged = next.sshKeepaliveIntervalSec !== settings.sshKeepaliveIntervalSec || next.sshConnectTimeoutSec !== settings.sshConnectTimeoutSec;
      settings = next;
      if (sshChanged) {
        pool.dispose();
        pool = makePool(next);
      }
      refresh.reschedule();
      clusterPoll.schedule();
      costGuard.schedule();
      syncPoll.schedule();
      reloadSoon();
    }),
    { dispose: () => pool.dispose() },
  );
  void model.reload();
  const adhoc = new Map<string, HostRunner>();
  const runnerForSpec = (spec: HostSpec): HostRunner => {
    const key = `${spec.name}|${spec.user}@${spec.hostName}:${spec.port}`;
    let r = adhoc.get(key);
    if (!r) adhoc.set(key, (r = createHostRunner(spec, pool, { sshConfigPath: settings.sshConfigPath })));
    return r;
  };
  return {
    model,
    clusters,
    syncs,
    slurmJupyter,
    commandDeps,
    runnerForSpec,
    openTerminalFor(spec) {
      const terminal = createSshTerminal(spec.name, async (size) => {
        const r = runnerForSpec(spec);
        if (!(r instanceof SshRunner)) throw new Error(`${spec.name} is not an SSH host`);
        const client = await r.connection();
        return new Promise((resolve, reject) =>
          client.shell({ term: 'xterm-256color', rows: size.rows, cols: size.cols }, (err, ch) => (err ? reject(err) : resolve(ch))),
        );
      });
      terminal.show();
      return terminal;
    },
  };
}

function debounce(fn: () => void, ms: number): () => void {
  let t: NodeJS.Timeout | undefined;
  return () => {
    if (t) clearTimeout(t);
    t = setTimeout(fn, ms);
  };
}
