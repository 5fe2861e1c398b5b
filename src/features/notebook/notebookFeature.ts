// Notebooks in the editor: render a Colab/papermill template through a form, dispatch a notebook to
// Colab or run it on any Jupyter server (a pod, a lab machine), every run in the Notebooks view with
// its output in Live Logs and its progress and Cancel in the status bar; Drive credentials, server
// tokens and the webhook live in SecretStorage.
import * as vscode from 'vscode';
import { viewIds } from '../../ids';
import type { LogsFeature } from '../logs/logsFeature';
import type { PodsFeature } from '../pods/podsFeature';
import type { SlurmJupyterSessions } from '../slurm/slurmJupyterSessions';
import { DriveCredentialStore } from './driveCredentials';
import type { NotebookDeps } from './notebookDeps';
import { createNotebookRunsTree, type NotebookTreeNode } from './notebookRunNodes';
import type { TreeRefresh } from '../tree/treeRefresh';
import { NotebookRunsModel } from './notebookRunsModel';

export interface NotebookFeature {
  model: NotebookRunsModel;
  credentials: DriveCredentialStore;
  /** What the notebook commands work with. */
  commandDeps: NotebookDeps;
  /** The Notebooks view's refresh (tests: the elapsed-time tick runs only while the view is shown). */
  refresh: TreeRefresh<NotebookTreeNode>;
}

export function createNotebookFeature(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  logs: LogsFeature,
  pods?: PodsFeature,
  slurmJupyter?: SlurmJupyterSessions,
): NotebookFeature {
  const model = new NotebookRunsModel(context.workspaceState);
  const credentials = new DriveCredentialStore(context.secrets);
  const d: NotebookDeps = { context, log, logs, model, credentials, ...(pods ? { pods } : {}), ...(slurmJupyter ? { slurmJupyter } : {}) };
  const tree = createNotebookRunsTree(model);
  const view = vscode.window.createTreeView(viewIds.notebooks, { treeDataProvider: tree });
  tree.refresh.attach(view);
  context.subscriptions.push(
    model,
    tree,
    view,
    context.secrets.onDidChange((e) => e.key.startsWith('airlock.google.') && void credentials.refreshContext()),
  );
  void credentials.refreshContext();
  return { model, credentials, commandDeps: d, refresh: tree.refresh };
}
