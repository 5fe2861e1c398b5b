// Notebooks from the editor: render a Colab/papermill template through a small form (one input per
// parameter, typed), and run a notebook on any Jupyter server with its output streaming into Live
// Logs, cancellable from the status bar; the server token lives in SecretStorage.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { notebookParams, renderNotebook } from '../../core/notebook/render';
import { ParamError } from '../../core/notebook/pyLiteral';
import { isCancelled } from '../../core/process/errors';
import { notify } from '../../core/notify/webhooks';
import type { LogsFeature } from '../logs/logsFeature';

const tokenKey = (url: string) => `airlock.jupyter.token.${url}`;
const webhookKey = 'airlock.notify.webhook';
const lastServerKey = 'airlock.jupyter.lastServer';

export interface NotebookFeature {
  render(arg?: unknown): Promise<vscode.Uri | undefined>;
  run(arg?: unknown, server?: string, token?: string): Promise<{ ok: boolean; output?: vscode.Uri } | undefined>;
  setWebhook(): Promise<void>;
}

async function pickNotebook(arg: unknown, title: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.file(arg);
  const active = vscode.window.activeNotebookEditor?.notebook.uri ?? vscode.window.activeTextEditor?.document.uri;
  if (active?.fsPath.endsWith('.ipynb')) return active;
  const found = await vscode.workspace.findFiles('**/*.ipynb', '**/node_modules/**', 200);
  const picked = await vscode.window.showQuickPick(found.map((u) => ({ label: vscode.workspace.asRelativePath(u), u })), { placeHolder: title });
  return picked?.u;
}

export function createNotebookFeature(context: vscode.ExtensionContext, logs: LogsFeature): NotebookFeature {
  return {
    async render(arg) {
      const uri = await pickNotebook(arg, 'Render which template notebook?');
      if (!uri) return undefined;
      const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
      try {
        const { params } = notebookParams(text, basename(uri.fsPath));
        if (!params.length) throw new ParamError(`${basename(uri.fsPath)} has no #@param lines and no "parameters" cell`);
        const set: Record<string, string> = {};
        for (const [k, p] of params.entries()) {
          const current = p.value.trim().replace(/^["']|["']$/g, '');
          const value = p.options
            ? (await vscode.window.showQuickPick(p.options.map((o) => o.replace(/^["']|["']$/g, '')), { title: `${p.name} (${k + 1}/${params.length})`, placeHolder: current }))
            : await vscode.window.showInputBox({ title: `${p.name} (${k + 1}/${params.length}) · ${p.type}`, value: current, ignoreFocusOut: true, prompt: 'Enter keeps the template value; Escape cancels' });
          if (value === undefined) return undefined;
          if (value !== current) set[p.name] = value;
        }
        const gpu = await vscode.window.showQuickPick(['keep', 'T4', 'L4', 'A100', 'none'], { title: 'GPU request (Colab runtime)', placeHolder: 'keep' });
        if (!gpu) return undefined;
        const r = renderNotebook(text, basename(uri.fsPath), { set, ...(gpu !== 'keep' ? { gpu: gpu as 'T4' } : {}) });
        const out = vscode.Uri.file(uri.fsPath.replace(/\.ipynb$/, '.rendered.ipynb'));
        await vscode.workspace.fs.writeFile(out, Buffer.from(r.text, 'utf8'));
        void vscode.window.showInformationMessage(`Airlock: wrote ${vscode.workspace.asRelativePath(out)} (${r.changed.length ? r.changed.join(', ') : 'no parameter changed'}).`);
        return out;
      } catch (err) {
        void vscode.window.showErrorMessage(`Airlock: ${(err as Error).message}`);
        return undefined;
      }
    },

    async run(arg, serverArg, tokenArg) {
      const uri = await pickNotebook(arg, 'Run which notebook?');
      if (!uri) return undefined;
      const server = serverArg ?? (await vscode.window.showInputBox({ title: 'Jupyter server URL', value: context.globalState.get<string>(lastServerKey) ?? 'http://127.0.0.1:8888/', prompt: 'A pod, a lab machine or a local server', ignoreFocusOut: true }));
      if (!server) return undefined;
      await context.globalState.update(lastServerKey, server);
      let token = tokenArg ?? (await context.secrets.get(tokenKey(server)));
      if (token === undefined) {
        token = await vscode.window.showInputBox({ title: `Token for ${server}`, password: true, prompt: 'Kept in VS Code secret storage for this server', ignoreFocusOut: true });
        if (token === undefined) return undefined;
        await context.secrets.store(tokenKey(server), token);
      }
      const nb = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8')) as Record<string, unknown>;
      const title = `notebook ${basename(uri.fsPath)} on ${server}`;
      const streamId = logs.store.create({ title, source: server, kind: 'job' });
      const job = logs.jobs.start({ title, logStreamId: streamId });
      logs.showLogs(streamId);
      const { runNotebook } = await import('../../core/notebook/jupyterRun');
      try {
        const r = await runNotebook(nb, {
          serverUrl: server, token, signal: job.signal,
          onEvent: (e) => {
            if (e.type === 'cell-start') {
              logs.store.append(streamId, [`\x1b[2m── cell ${e.cell + 1}\x1b[0m`]);
              logs.jobs.progress(job.job.id, { done: e.cell, total: (nb.cells as unknown[]).length, message: `cell ${e.cell + 1}` });
            }
            if (e.type === 'output' && e.line !== undefined) logs.store.append(streamId, [e.line], e.stream === 'stderr');
            if (e.type === 'kernel' && e.message) logs.store.append(streamId, [`[airlock] ${e.message}`]);
          },
        });
        const out = vscode.Uri.file(uri.fsPath.replace(/\.ipynb$/, '.executed.ipynb'));
        await vscode.workspace.fs.writeFile(out, Buffer.from(`${JSON.stringify(r.notebook, null, 1)}\n`, 'utf8'));
        const ok = !r.error && !r.timedOut;
        logs.store.close(streamId, ok ? 'done' : 'failed');
        logs.jobs.finish(job.job.id, ok ? 'done' : 'failed');
        const detail = r.error ? `cell ${r.error.cell + 1} failed: ${r.error.ename}: ${r.error.evalue}` : `${r.executed} cells ran`;
        const hook = await context.secrets.get(webhookKey);
        if (hook) await notify(hook, { title, state: ok ? 'done' : 'failed', detail }).catch((e: Error) => logs.store.append(streamId, [`[airlock] notification failed: ${e.message}`], true));
        const show = ok ? vscode.window.showInformationMessage(`Airlock: ${basename(uri.fsPath)} — ${detail}.`, 'Open Executed Notebook') : vscode.window.showErrorMessage(`Airlock: ${basename(uri.fsPath)} — ${detail}.`, 'Open Executed Notebook', 'Show Log');
        void show.then((a) => (a === 'Show Log' ? logs.showLogs(streamId) : a ? vscode.commands.executeCommand('vscode.open', out) : undefined));
        return { ok, output: out };
      } catch (err) {
        const cancelled = isCancelled(err);
        logs.store.append(streamId, [`[airlock] ${cancelled ? 'cancelled — the kernel was interrupted and shut down' : (err as Error).message}`], !cancelled);
        logs.store.close(streamId, cancelled ? 'cancelled' : 'failed');
        logs.jobs.finish(job.job.id, cancelled ? 'cancelled' : 'failed');
        if (!cancelled) void vscode.window.showErrorMessage(`Airlock: ${(err as Error).message}`);
        return { ok: false };
      }
    },

    async setWebhook() {
      const url = await vscode.window.showInputBox({ title: 'Notification webhook (Slack, Discord or any JSON endpoint)', password: true, prompt: 'Kept in secret storage; Airlock posts the end of each run. Empty removes it.', ignoreFocusOut: true });
      if (url === undefined) return;
      if (url.trim()) await context.secrets.store(webhookKey, url.trim());
      else await context.secrets.delete(webhookKey);
    },
  };
}
