// Sweeps in the editor: every run in the Sweeps view (cases, roles with host and PID, elapsed),
// each role's log live in Live Logs, progress in the status bar (`Sweep 3/8 · case · client`).
// Core's SweepRuns starts, cancels and reports each run (the same code as `airlock sweep`); this
// file only renders its events.
import * as vscode from 'vscode';
import { dirname, isAbsolute, join } from 'node:path';
import { commandIds, viewIds } from '../../ids';
import { parseSweepConfig } from '../../core/sweep/sweepConfig';
import type { SweepEvent } from '../../core/sweep/sweepEvents';
import type { RoleView, SweepRun } from '../../core/sweep/sweepRun';
import { sweepOutcome, SweepRuns } from '../../core/sweep/sweepRuns';
import { editorHostKeyPolicy, editorPassphrasePrompt } from '../hosts/editorHostKeyPolicy';
import type { LogsFeature } from '../logs/logsFeature';
import { presentError } from '../presentError';
import { readSettings } from '../settings';
import { TreeRefresh } from '../tree/treeRefresh';
import { RunNode, type SweepsTreeNode } from './sweepNodes';

export type SweepMode = 'queue' | 'sequenced';

export interface SweepsFeature {
  /** Every run of this window, oldest first (core's list). */
  readonly runs: SweepRun[];
  /** Starts a run or collect of the config at `configPath`; undefined when the config is invalid (shown to the user). */
  start(configPath: string, what: 'run' | 'collect', opts?: { mode?: SweepMode; dryRun?: boolean }): Promise<SweepRun | undefined>;
  /** Cancels `run`, else the oldest running one; false when nothing runs. */
  cancel(run?: SweepRun): boolean;
  clear(): void;
  /** The Sweeps view's refresh (tests: the elapsed-time tick runs only while the view is shown). */
  readonly refresh: TreeRefresh<SweepsTreeNode>;
}

export function createSweepsFeature(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, logs: LogsFeature): SweepsFeature {
  const core = new SweepRuns();
  // Cached per run so the elapsed-time tick redraws just the running rows.
  const nodes = new Map<string, RunNode>();
  const nodeFor = (r: SweepRun) => nodes.get(r.id) ?? nodes.set(r.id, new RunNode(r)).get(r.id)!;
  const refresh = new TreeRefresh<SweepsTreeNode>({ runningNodes: () => core.runs.filter((r) => r.state === 'running').map(nodeFor) });
  const tree: vscode.TreeDataProvider<SweepsTreeNode> = {
    onDidChangeTreeData: refresh.onDidChangeTreeData,
    getTreeItem: (n) => n.toTreeItem(),
    getChildren: (n) => (n ? n.children() : [...core.runs].reverse().map(nodeFor)),
  };
  const view = vscode.window.createTreeView(viewIds.sweeps, { treeDataProvider: tree, showCollapseAll: true });
  refresh.attach(view);
  const policy = editorHostKeyPolicy(log);
  context.subscriptions.push(view, refresh, { dispose: () => core.dispose() });

  // The status bar item is the job's (`Sweep 3/8 · <case> · <role>`); clicking it offers Cancel.
  const reportProgress = (run: SweepRun, jobId: string) => {
    const p = run.progress;
    const role = run.current && p.current && run.current.caseIndex === p.current.index ? ` · ${run.current.role}` : '';
    logs.jobs.progress(jobId, { done: Math.min(p.done + 1, p.total), total: p.total, message: p.current ? `${p.current.name}${role}` : undefined });
  };

  const start: SweepsFeature['start'] = async (configPath, what, opts = {}) => {
    let config;
    try {
      config = await parseSweepConfig(configPath);
    } catch (err) {
      presentError(err, { what: what === 'run' ? 'Run Sweep' : 'Collect Sweep', log });
      return undefined;
    }
    const settings = readSettings();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? dirname(configPath);
    // Live Logs files the run's streams under it: the transcript, then each case's roles.
    const runGroup = `sweep ${what}: ${vscode.workspace.asRelativePath(configPath)} · ${new Date().toLocaleTimeString()}`;
    const transcript = logs.store.create({ title: 'transcript', source: 'controller', kind: 'job', group: [runGroup] });
    const job = logs.jobs.start({ title: 'Sweep', host: vscode.workspace.asRelativePath(configPath), logStreamId: transcript });
    const onEvent = (e: SweepEvent, run: SweepRun, role: RoleView | undefined) => {
      if (e.type === 'output') logs.store.append(transcript, [e.line]);
      if (e.type === 'role' && e.state === 'failed' && e.reason) logs.store.append(transcript, [`[airlock] ${e.caseName}/${e.role}: ${e.reason}`], true);
      if (e.type === 'log' && role) {
        role.streamId ??= logs.store.create({ title: `${e.role}@${e.host}`, source: e.host, kind: 'tail', group: [runGroup, e.caseTag] });
        logs.store.append(role.streamId, [e.line]);
      }
      if (e.type === 'role' && role?.streamId && ['stopped', 'exited', 'failed'].includes(e.state))
        logs.store.close(role.streamId, e.state === 'failed' ? 'failed' : 'done');
      if (e.type !== 'log' && e.type !== 'output') reportProgress(run, job.job.id);
      refresh.changed(nodeFor(run));
    };
    const started = core.start({
      what,
      config,
      configPath,
      onEvent,
      signal: job.signal,
      options: {
        mode: opts.mode,
        dryRun: opts.dryRun,
        localRoot: isAbsolute(settings.sweepsLocalRoot) ? settings.sweepsLocalRoot : join(folder, settings.sweepsLocalRoot),
        sshConfigPath: settings.sshConfigPath,
        hostKeyPolicy: policy,
        askPassphrase: editorPassphrasePrompt,
        keepaliveIntervalSec: settings.sshKeepaliveIntervalSec,
        connectTimeoutSec: settings.sshConnectTimeoutSec,
        // `local` roles run in the config's folder, so a repo_dir relative to it works as it does from a terminal there.
        localCwd: dirname(configPath),
      },
    });
    const run = started.run;
    run.jobId = job.job.id;
    run.transcriptStreamId = transcript;
    refresh.changed();
    logs.showLogs(transcript);
    void started.done
      .then(
        (res) => {
          const matrix = run.matrixFiles()[0];
          const msg = `Airlock: ${sweepOutcome(run, res)}`;
          const show = run.state === 'failed' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
          void show(msg, ...(matrix ? ['Open Matrix'] : [])).then(
            (a) => a && matrix && vscode.commands.executeCommand(commandIds.matrixOpen, vscode.Uri.file(matrix)),
          );
        },
        (err: unknown) => {
          logs.store.append(transcript, [`[airlock] ${run.error}`], true);
          presentError(err, { what: 'Sweep', log });
        },
      )
      .finally(() => {
        const end = run.state === 'done' ? 'done' : run.state === 'cancelled' ? 'cancelled' : 'failed';
        logs.store.close(transcript, end);
        logs.jobs.finish(job.job.id, end);
        refresh.changed();
      });
    return run;
  };

  return {
    runs: core.runs,
    refresh,
    start,
    cancel: (run) => core.cancel(run),
    clear() {
      core.clear();
      for (const id of [...nodes.keys()]) if (!core.runs.some((r) => r.id === id)) nodes.delete(id);
      refresh.changed();
    },
  };
}
