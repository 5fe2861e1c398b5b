// Notebooks in the editor: render a Colab/papermill template through a form, dispatch a notebook to
// Colab or run it on any Jupyter server (a pod, a lab machine), every run in the Notebooks view with
// its output in Live Logs and its progress and Cancel in the status bar; Drive credentials, server
// tokens and the webhook live in SecretStorage.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { commandIds, viewIds } from '../../ids';
import { notebookParams, renderNotebook, type GpuChoice } from '../../core/notebook/render';
import { ParamError } from '../../core/notebook/pyLiteral';
import { runIsActive, type NotebookRunRecord } from '../../core/notebook/notebookRun';
import type { LogsFeature } from '../logs/logsFeature';
import type { PodsFeature } from '../pods/podsFeature';
import { DriveCredentialStore } from './driveCredentials';
import { dispatchNotebook, gpuChoices, pickNotebook, type DispatchRequest } from './dispatchFlow';
import type { NotebookDeps } from './notebookDeps';
import { createNotebookRunsTree, ResultFileNode, RunNode } from './notebookRunNodes';
import { NotebookRunsModel } from './notebookRunsModel';
import { editParams } from './paramForm';
import { webhookKey } from './runAnnounce';
import { checkStatus, downloadResults, openResultFile } from './runResults';
import { writeUriAtomic } from '../writeUri';

export interface NotebookFeature {
  model: NotebookRunsModel;
  credentials: DriveCredentialStore;
  render(arg?: unknown): Promise<vscode.Uri | undefined>;
  dispatch(arg?: unknown, req?: DispatchRequest): Promise<NotebookRunRecord | undefined>;
  run(arg?: unknown, server?: string, token?: string): Promise<{ ok: boolean; output?: vscode.Uri; run?: NotebookRunRecord } | undefined>;
  cancelRun(arg?: unknown): void;
  rerun(arg?: unknown): Promise<NotebookRunRecord | undefined>;
  downloadResults(arg?: unknown): Promise<string | undefined>;
  openResult(arg?: unknown): Promise<void>;
  checkStatus(arg?: unknown): Promise<void>;
  clearRuns(): void;
  setWebhook(): Promise<void>;
}

export function createNotebookFeature(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, logs: LogsFeature, pods?: PodsFeature): NotebookFeature {
  const model = new NotebookRunsModel(context.workspaceState);
  const credentials = new DriveCredentialStore(context.secrets);
  const d: NotebookDeps = { context, log, logs, model, credentials, ...(pods ? { pods } : {}) };
  const tree = createNotebookRunsTree(model);
  const view = vscode.window.createTreeView(viewIds.notebooks, { treeDataProvider: tree });
  context.subscriptions.push(model, tree, view, context.secrets.onDidChange((e) => e.key.startsWith('airlock.google.') && void credentials.refreshContext()));
  void credentials.refreshContext();

  /** A run from a tree node, a run id, or the newest run in `states` when called from the palette. */
  const runFrom = async (arg: unknown, what: string, fits: (r: NotebookRunRecord) => boolean): Promise<NotebookRunRecord | undefined> => {
    if (arg instanceof RunNode || arg instanceof ResultFileNode) return arg.run;
    if (typeof arg === 'string') return model.get(arg);
    const candidates = model.runs.filter(fits);
    if (candidates.length <= 1) {
      if (!candidates.length) void vscode.window.showInformationMessage(`Airlock: no notebook run to ${what}.`);
      return candidates[0];
    }
    const picked = await vscode.window.showQuickPick(candidates.map((r) => ({ label: r.notebook, description: `${r.target} · ${r.state}`, detail: new Date(r.startedAt).toLocaleString(), r })), { placeHolder: `Which run to ${what}?` });
    return picked?.r;
  };

  return {
    model,
    credentials,

    async render(arg) {
      const uri = await pickNotebook(arg, 'Render which template notebook?');
      if (!uri) return undefined;
      const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      const name = basename(uri.fsPath);
      const { params } = notebookParams(text, name);
      if (!params.length) throw new ParamError(`${name} has no #@param lines and no "parameters" cell`);
      const set = await editParams(params, `${name}: parameters`, 'Render with these values');
      if (!set) return undefined;
      const gpu = await vscode.window.showQuickPick(['keep', ...gpuChoices], { title: 'GPU request (Colab runtime metadata)', placeHolder: 'keep', ignoreFocusOut: true });
      if (!gpu) return undefined;
      const r = await renderNotebook(text, name, { set, ...(gpu !== 'keep' ? { gpu: gpu as GpuChoice } : {}) });
      const out = vscode.Uri.file(uri.fsPath.replace(/\.ipynb$/, '.rendered.ipynb'));
      await writeUriAtomic(out, Buffer.from(r.text, 'utf8'));
      void vscode.window.showInformationMessage(`Airlock: wrote ${vscode.workspace.asRelativePath(out)} (${r.changed.length ? r.changed.join(', ') : 'no parameter changed'}).`, 'Open', 'Dispatch…').then((a) => {
        if (a === 'Open') void vscode.commands.executeCommand('vscode.open', out);
        if (a === 'Dispatch…') void vscode.commands.executeCommand(commandIds.notebookDispatch, out, { set: {} });
      });
      return out;
    },

    dispatch: (arg, req) => dispatchNotebook(d, arg, req ?? {}),

    async run(arg, server, token) {
      const r = await dispatchNotebook(d, arg, server ? { target: { server, ...(token !== undefined ? { token } : {}) }, set: {} } : {}, true);
      return r && { ok: r.state === 'done', ...(r.output ? { output: vscode.Uri.file(r.output) } : {}), run: r };
    },

    cancelRun(arg) {
      void runFrom(arg, 'cancel', runIsActive).then((r) => r && model.cancel(r.id));
    },

    async rerun(arg) {
      const r = await runFrom(arg, 'run again', (x) => !runIsActive(x));
      if (!r) return undefined;
      const source = vscode.workspace.workspaceFolders?.[0] ? vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, r.source) : vscode.Uri.file(r.source);
      return dispatchNotebook(d, source, { set: r.params ?? {}, ...(r.kind === 'colab' ? { target: 'colab' as const, gpu: (r.gpuRequest ?? 'T4') as GpuChoice } : {}) });
    },

    async downloadResults(arg) {
      const r = await runFrom(arg, 'download', (x) => !!x.folderId);
      return r && downloadResults(d, r);
    },

    async openResult(arg) {
      if (!(arg instanceof ResultFileNode)) throw new Error('Open Result File works on a result file in the Notebooks view');
      await openResultFile(d, arg.run, arg.file);
    },

    async checkStatus(arg) {
      const r = await runFrom(arg, 'check', (x) => !!x.folderId && !model.isFollowed(x.id));
      if (r) await checkStatus(d, r);
    },

    clearRuns: () => model.clearFinished(),

    async setWebhook() {
      const url = await vscode.window.showInputBox({ title: 'Notification webhook (Slack, Discord or any JSON endpoint)', password: true, prompt: 'Kept in secret storage; Airlock posts the end of each run. Empty removes it.', ignoreFocusOut: true });
      if (url === undefined) return;
      if (url.trim()) await context.secrets.store(webhookKey, url.trim());
      else await context.secrets.delete(webhookKey);
    },
  };
}
