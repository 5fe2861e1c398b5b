import * as vscode from 'vscode';
import { contextKeys, viewIds } from '../../ids';
import type { HostsFeature } from '../hosts/hostsFeature';
import type { LogsFeature } from '../logs/logsFeature';
import { onSettingsChanged, readSettings } from '../settings';
import type { PivotTable } from '../../core/phases/pivot';
import type { PhaseCommandDeps } from './commands/phaseCommandDeps';
import { workerEventHandler } from './commands/workerEvents';
import type { PhasesTreeNode } from './phaseNodes';
import { TreeRefresh } from '../tree/treeRefresh';
import { PhasesModel } from './phasesModel';
import { PhasesTreeProvider } from './phasesTreeProvider';
import { registerQueueDocuments } from './queueDocuments';
import { PlanWatcher } from './planWatcher';

export interface PhasesFeature {
  model: PhasesModel;
  /** What the phase commands work with. */
  commandDeps: PhaseCommandDeps;
}

/** The Phases view: the git-backed queue of the workspace clone, refreshed while visible. */
export function createPhasesFeature(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  logs: LogsFeature,
  hosts: HostsFeature,
  showTable?: (t: PivotTable) => void | Promise<void>,
): PhasesFeature {
  const folder = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const model = new PhasesModel(() => ({ folder: folder(), planPath: readSettings().phasesPlanPath }));
  const refresh = new TreeRefresh<PhasesTreeNode>({ intervalSec: () => readSettings().phasesRefreshIntervalSec, load: () => model.refresh(true) });
  const tree = new PhasesTreeProvider(model, refresh);
  const view = vscode.window.createTreeView(viewIds.phases, { treeDataProvider: tree, showCollapseAll: true });
  refresh.attach(view);
  const setContext = () => {
    void vscode.commands.executeCommand('setContext', contextKeys.phasesLoaded, model.loaded);
    void vscode.commands.executeCommand('setContext', contextKeys.phasesPlan, !!model.plan || !!model.planError);
    const counts = model.status?.phases.reduce((a, p) => ({ done: a.done + p.counts.done, total: a.total + p.total }), { done: 0, total: 0 });
    view.badge =
      counts && counts.total > counts.done ? { value: counts.total - counts.done, tooltip: `${counts.total - counts.done} entries left` } : undefined;
  };
  const reloadPlan = () => void model.refresh(false);
  // The plan the setting names, not a fixed path: moved with the setting, the view follows it.
  const watcher = new PlanWatcher(() => ({ folder: folder(), planPath: readSettings().phasesPlanPath }), reloadPlan);
  const cliPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
  context.subscriptions.push(
    model,
    tree,
    view,
    refresh,
    watcher,
    model.onDidChange(setContext),
    registerQueueDocuments(folder),
    onSettingsChanged(() => {
      if (watcher.follow()) reloadPlan();
      refresh.reschedule();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => watcher.follow() && reloadPlan()),
    { dispose: () => model.workers.forEach((w) => w.stop()) },
  );
  void model.refresh(false);
  return { model, commandDeps: { model, logs, hosts, cliPath, log, showTable, refresh, onWorkerEvent: workerEventHandler(model) } };
}
