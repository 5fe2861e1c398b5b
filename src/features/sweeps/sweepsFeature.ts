// Sweeps in the editor: run or collect a BloomBee-compatible config, every run in the Sweeps view
// (cases, roles with host and PID, elapsed), each role's log live in Live Logs, progress in the
// status bar (`Sweep 3/8 · case · client`), cancel from the view or the status bar.
import * as vscode from 'vscode';
import { dirname, isAbsolute, join } from 'node:path';
import { commandIds, viewIds } from '../../ids';
import { LocalRunner } from '../../core/hosts/localRunner';
import { createHostRunner } from '../../core/hosts/hostRunners';
import type { HostRunner } from '../../core/hosts/types';
import { SshConnectionPool } from '../../core/ssh/connectionPool';
import { isCancelled } from '../../core/process/errors';
import { collectSweep, runSweep } from '../../core/sweep/runSweep';
import { parseSweepConfig } from '../../core/sweep/sweepConfig';
import type { SweepEvent } from '../../core/sweep/sweepEvents';
import type { RoleHost } from '../../core/sweep/roleHosts';
import { editorHostKeyPolicy } from '../hosts/editorHostKeyPolicy';
import type { LogsFeature } from '../logs/logsFeature';
import { readSettings } from '../settings';
import { RunNode, type SweepsTreeNode } from './sweepNodes';
import { SweepRun } from './sweepRun';

export interface SweepsFeature {
  runs: SweepRun[];
  run(arg?: unknown, opts?: { mode?: 'queue' | 'sequenced'; dryRun?: boolean }): Promise<SweepRun | undefined>;
  collect(arg?: unknown): Promise<SweepRun | undefined>;
  cancel(arg?: unknown): void;
  clear(): void;
}

export function createSweepsFeature(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, logs: LogsFeature): SweepsFeature {
  const runs: SweepRun[] = [];
  const controllers = new Map<string, AbortController>();
  const changed = new vscode.EventEmitter<SweepsTreeNode | undefined>();
  const tree: vscode.TreeDataProvider<SweepsTreeNode> = {
    onDidChangeTreeData: changed.event,
    getTreeItem: (n) => n.toTreeItem(),
    getChildren: (n) => (n ? n.children() : [...runs].reverse().map((r) => new RunNode(r))),
  };
  const view = vscode.window.createTreeView(viewIds.sweeps, { treeDataProvider: tree, showCollapseAll: true });
  let pending: NodeJS.Timeout | undefined;
  const refresh = () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      changed.fire(undefined);
      updateStatus();
    }, 150);
  };
  const ticker = setInterval(() => runs.some((r) => r.state === 'running') && refresh(), 1000);
  // The status bar item is the job's (`Sweep 3/8 · <case> · <role>`); clicking it offers Cancel.
  const updateStatus = () => {
    for (const r of runs.filter((x) => x.state === 'running' && x.jobId)) {
      const p = r.progress;
      const role = r.current && p.current && r.current.caseIndex === p.current.index ? ` · ${r.current.role}` : '';
      logs.jobs.progress(r.jobId!, { done: Math.min(p.done + 1, p.total), total: p.total, message: p.current ? `${p.current.name}${role}` : undefined });
    }
  };
  context.subscriptions.push(view, changed, { dispose: () => (clearInterval(ticker), controllers.forEach((c) => c.abort())) });

  const pickConfig = async (arg: unknown): Promise<string | undefined> => {
    if (arg instanceof vscode.Uri) return arg.fsPath;
    if (typeof arg === 'string') return arg;
    const active = vscode.window.activeTextEditor?.document;
    const found = await vscode.workspace.findFiles('**/*.json', '{**/node_modules/**,**/.airlock/**,**/collected_runs/**,**/package*.json,**/tsconfig*.json}', 500);
    const candidates: vscode.Uri[] = [];
    for (const f of found) {
      const text = Buffer.from(await vscode.workspace.fs.readFile(f)).toString('utf8');
      if (/"cases"\s*:/.test(text) && /"commands"\s*:/.test(text)) candidates.push(f);
    }
    const items = candidates.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f as vscode.Uri | undefined, picked: f.fsPath === active?.uri.fsPath }));
    const picked = await vscode.window.showQuickPick([...items, { label: '$(folder-opened) Browse…', uri: undefined, picked: false }], { placeHolder: 'Sweep config (BloomBee cluster_launch / sequenced sweep JSON)' });
    if (!picked) return undefined;
    return picked.uri?.fsPath ?? (await vscode.window.showOpenDialog({ filters: { JSON: ['json'] } }))?.[0]?.fsPath;
  };

  const start = async (arg: unknown, what: 'run' | 'collect', opts: { mode?: 'queue' | 'sequenced'; dryRun?: boolean } = {}) => {
    const configPath = await pickConfig(arg);
    if (!configPath) return undefined;
    let config;
    try {
      config = await parseSweepConfig(configPath);
    } catch (err) {
      const e = err as Error & { line?: number };
      const open = await vscode.window.showErrorMessage(`Airlock: ${e.message}`, 'Open Config');
      if (open) await vscode.window.showTextDocument(vscode.Uri.file(configPath), { selection: new vscode.Range((e.line ?? 1) - 1, 0, (e.line ?? 1) - 1, 0) });
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? dirname(configPath);
    const settings = readSettings();
    const run = new SweepRun(configPath, runs.length + 1);
    runs.push(run);
    const ctl = new AbortController();
    controllers.set(run.id, ctl);
    const transcript = logs.store.create({ title: `sweep ${what}: ${vscode.workspace.asRelativePath(configPath)}`, source: 'controller', kind: 'job' });
    run.transcriptStreamId = transcript;
    const job = logs.jobs.start({ title: 'Sweep', host: vscode.workspace.asRelativePath(configPath), logStreamId: transcript });
    run.jobId = job.job.id;
    job.signal.addEventListener('abort', () => ctl.abort());
    const pool = new SshConnectionPool({ hostKeyPolicy: editorHostKeyPolicy(log), keepaliveIntervalSec: settings.sshKeepaliveIntervalSec, connectTimeoutSec: settings.sshConnectTimeoutSec });
    const runners = new Map<string, HostRunner>();
    const configDir = dirname(configPath);
    // `local` roles run in the config's folder, so a repo_dir relative to it works as it does from a terminal there.
    const runnerFor = (h: RoleHost): HostRunner => {
      const key = JSON.stringify(h.spec);
      let r = runners.get(key);
      if (!r) {
        if (h.spec.kind === 'local') {
          const local = new LocalRunner(h.spec);
          r = { host: h.spec, exec: (cmd, o = {}) => local.exec(cmd, { ...o, cwd: o.cwd ?? configDir }), download: (a, b, s) => local.download(a, b, s), upload: (a, b, s) => local.upload(a, b, s) } as HostRunner;
        } else r = createHostRunner(h.spec, pool, { sshConfigPath: settings.sshConfigPath });
        runners.set(key, r);
      }
      return r;
    };
    const onEvent = (e: SweepEvent) => {
      const role = run.apply(e);
      if (e.type === 'output') logs.store.append(transcript, [e.line]);
      if (e.type === 'role' && e.state === 'failed' && e.reason) logs.store.append(transcript, [`[airlock] ${e.caseName}/${e.role}: ${e.reason}`], true);
      if (e.type === 'log' && role) {
        role.streamId ??= logs.store.create({ title: `${e.caseTag} · ${e.role}@${e.host}`, source: e.host, kind: 'tail' });
        logs.store.append(role.streamId, [e.line]);
      }
      if (e.type === 'role' && role?.streamId && ['stopped', 'exited', 'failed'].includes(e.state)) logs.store.close(role.streamId, e.state === 'failed' ? 'failed' : 'done');
      refresh();
    };
    const localRoot = isAbsolute(settings.sweepsLocalRoot) ? settings.sweepsLocalRoot : join(folder, settings.sweepsLocalRoot);
    refresh();
    logs.showLogs(transcript);
    const body = what === 'run'
      ? runSweep(config, { localRoot, mode: opts.mode, dryRun: opts.dryRun, sshConfigPath: settings.sshConfigPath, pool, runnerFor }, ctl.signal, onEvent)
      : collectSweep(config, { localRoot, mode: opts.mode, sshConfigPath: settings.sshConfigPath, pool, runnerFor }, ctl.signal, onEvent);
    void body.then(
      (res) => {
        run.state = res.cancelled ? 'cancelled' : res.cases.some((c) => c.state === 'failed') ? 'failed' : 'done';
        const failed = res.cases.filter((c) => c.state === 'failed');
        const matrix = run.matrixFiles()[0];
        const msg = `Airlock: sweep ${run.runTag} ${res.cancelled ? 'cancelled — every remote process was stopped and what existed was collected' : failed.length ? `finished with ${failed.length} failed case(s): ${failed.map((c) => `${c.caseName} (${c.reason ?? '?'})`).join('; ')}` : `finished: ${res.cases.length} case(s)`}.`;
        void (failed.length ? vscode.window.showWarningMessage(msg, ...(matrix ? ['Open Matrix'] : [])) : vscode.window.showInformationMessage(msg, ...(matrix ? ['Open Matrix'] : []))).then((a) => a && matrix && vscode.commands.executeCommand(commandIds.matrixOpen, vscode.Uri.file(matrix)));
      },
      (err: unknown) => {
        run.state = isCancelled(err) ? 'cancelled' : 'failed';
        run.error = err instanceof Error ? err.message : String(err);
        logs.store.append(transcript, [`[airlock] ${run.error}`], true);
        if (!isCancelled(err)) void vscode.window.showErrorMessage(`Airlock: sweep failed — ${run.error}`);
      },
    ).finally(() => {
      run.endedAt ??= Date.now();
      pool.dispose();
      controllers.delete(run.id);
      logs.store.close(transcript, run.state === 'done' ? 'done' : run.state === 'cancelled' ? 'cancelled' : 'failed');
      logs.jobs.finish(job.job.id, run.state === 'done' ? 'done' : run.state === 'cancelled' ? 'cancelled' : 'failed');
      refresh();
    });
    return run;
  };

  return {
    runs,
    run: (arg, opts) => start(arg, 'run', opts),
    collect: (arg) => start(arg, 'collect'),
    cancel(arg) {
      const run = arg instanceof RunNode ? arg.run : runs.find((r) => r.state === 'running');
      if (run) controllers.get(run.id)?.abort();
      else void vscode.window.showInformationMessage('Airlock: no sweep is running.');
    },
    clear() {
      for (let i = runs.length - 1; i >= 0; i--) if (runs[i]!.state !== 'running') runs.splice(i, 1);
      refresh();
    },
  };
}
