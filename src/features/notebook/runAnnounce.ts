// A run's log and job while it runs, and what the user hears when it ends: a notification that
// says what happened and offers the next step, and the webhook (its URL stays in secret storage).
import * as vscode from 'vscode';
import { commandIds } from '../../ids';
import { notify } from '../../core/notify/webhooks';
import type { NotebookRunRecord } from '../../core/notebook/notebookRun';
import type { NotebookDeps } from './notebookDeps';

export const webhookKey = 'airlock.notify.webhook';

/** A Live Logs stream and a status-bar job for `run`; cancelling the job aborts the run. */
export function startRunLog(d: NotebookDeps, run: NotebookRunRecord, signal: AbortSignal) {
  const title = `${run.notebook} → ${run.target} · ${new Date(run.startedAt).toLocaleTimeString()}`;
  const streamId = d.logs.store.create({ title, source: run.target, kind: 'job', group: ['notebook runs'] });
  const job = d.logs.jobs.start({ title: `Notebook ${run.notebook}`, host: run.target, logStreamId: streamId });
  job.signal.addEventListener('abort', () => d.model.cancel(run.id), { once: true });
  signal.addEventListener('abort', () => d.logs.jobs.cancel(job.job.id), { once: true });
  run.streamId = streamId;
  d.model.update(run);
  d.logs.showLogs(streamId);
  const append = (text: string, stderr = false) => d.logs.store.append(streamId, text.split('\n'), stderr);
  return { streamId, jobId: job.job.id, append };
}

export async function announceEnd(d: NotebookDeps, run: NotebookRunRecord, streamId: string, jobId: string, toast = true): Promise<void> {
  const ended = run.state === 'done' ? 'done' : run.state === 'cancelled' ? 'cancelled' : 'failed';
  d.logs.store.append(streamId, [`[airlock] ${run.notebook}: ${run.state}${run.error ? ` — ${run.error}` : ''}`], ended === 'failed');
  d.logs.store.close(streamId, ended);
  d.logs.jobs.finish(jobId, ended);
  const title = `${run.notebook} on ${run.target}`;
  const detail =
    run.state === 'done' ? (run.files ? `${run.files.length} result files` : run.total ? `${run.total} cells ran` : 'finished') : (run.error ?? run.state);
  const hook = await d.context.secrets.get(webhookKey);
  if (hook && run.state !== 'cancelled') {
    await notify(hook, { title, state: ended, detail, ...(run.folderUrl ? { url: run.folderUrl } : {}) }).catch((e: Error) =>
      d.logs.store.append(streamId, [`[airlock] notification failed: ${e.message}`], true),
    );
  }
  if (!toast || run.state === 'cancelled') return;
  const actions = [
    ...(run.folderId ? ['Open Results'] : []),
    ...(run.output ? ['Open Executed Notebook'] : []),
    ...(run.screenshot ? ['Show Screenshot'] : []),
    'Show Log',
  ];
  const show = run.state === 'done' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  void show(`Airlock: ${title} — ${run.state === 'done' ? detail : `failed: ${detail}`}.`, ...actions).then((a) => {
    if (a === 'Open Results') void vscode.commands.executeCommand(commandIds.notebookDownloadResults, run.id);
    if (a === 'Open Executed Notebook' && run.output) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(run.output));
    if (a === 'Show Screenshot' && run.screenshot) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(run.screenshot));
    if (a === 'Show Log') d.logs.showLogs(streamId);
  });
}
