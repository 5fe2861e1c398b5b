// A Colab run's results folder from the editor: download it (layout kept) into the workspace and
// open what matters (report.html in the browser, the rest in the editor), open one file, or read
// the run's status back from Drive when nobody was following it.
import * as vscode from 'vscode';
import { join, isAbsolute } from 'node:path';
import { applyStatus, type NotebookRunRecord } from '../../core/notebook/notebookRun';
import { loadColab } from '../../core/colab/loadColab';
import type { RunFile } from '../../core/colab/results';
import { withCancellableProgress } from '../progress';
import { readSettings } from '../settings';
import type { NotebookDeps } from './notebookDeps';
import { googleEndpoints } from './driveCredentials';
import { writeUriAtomic } from '../writeUri';
import { UserError } from '../../core/errors/userError';

async function openDrive(d: NotebookDeps, signal?: AbortSignal) {
  const credentials = await d.credentials.get();
  if (!credentials)
    throw new Error('no Google Drive credentials — run "Airlock: Set Google Drive Service-Account Key…" or "Airlock: Sign in to Google Drive…"');
  const colab = await loadColab();
  const drive = await colab.DriveApi.open({
    credentials,
    ...(process.env.AIRLOCK_DRIVE_ROOT_URL ? { rootUrl: process.env.AIRLOCK_DRIVE_ROOT_URL } : {}),
    ...googleEndpoints(),
    ...(signal ? { signal } : {}),
  });
  return { colab, drive };
}

function resultsDir(run: NotebookRunRecord): string {
  const dir = readSettings().colabResultsDir;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const base = isAbsolute(dir) || !root ? dir : join(root, dir);
  return join(base, run.runId ?? run.id);
}

/** Opens a downloaded result the way it reads best: HTML in the browser, the rest in the editor. */
async function openLocal(path: string): Promise<void> {
  const uri = vscode.Uri.file(path);
  if (/\.html?$/i.test(path)) {
    const opened = await vscode.env.openExternal(uri);
    if (opened) return;
  }
  await vscode.commands.executeCommand('vscode.open', uri);
}

export async function downloadResults(d: NotebookDeps, run: NotebookRunRecord): Promise<string | undefined> {
  if (!run.folderId) throw new Error(`${run.notebook} has no results folder on Drive (it never reached Drive)`);
  const dest = resultsDir(run);
  const got = await withCancellableProgress(`Airlock: downloading the results of ${run.runId ?? run.notebook}`, async (signal, report) => {
    const { colab, drive } = await openDrive(d, signal);
    let n = 0;
    return colab.downloadRunResults(drive, run.folderId!, dest, {
      signal,
      onFile: (f) => report(`${++n}: ${f.path}${f.skipped ? ` (skipped: ${f.skipped})` : ''}`),
    });
  });
  run.downloadedTo = dest;
  run.files = got.map((f) => run.files?.find((x) => x.path === f.path) ?? ({ path: f.path, id: '', name: f.path, mimeType: '' } as RunFile));
  d.model.update(run);
  const report = got.find((f) => f.local && /(^|\/)report\.html?$/i.test(f.path)) ?? got.find((f) => f.local && /\.html?$/i.test(f.path));
  const skipped = got.filter((f) => f.skipped);
  const fetched = got.length - skipped.length;
  const msg = `Airlock: ${fetched} file${fetched === 1 ? '' : 's'} of ${run.runId ?? run.notebook} in ${vscode.workspace.asRelativePath(dest)}${skipped.length ? ` (${skipped.length} skipped: ${skipped.map((f) => `${f.path} — ${f.skipped}`).join('; ')})` : ''}.`;
  void vscode.window.showInformationMessage(msg, ...(report ? [`Open ${report.path.split('/').pop()}`] : []), 'Reveal in Explorer').then((a) => {
    if (a === 'Reveal in Explorer') void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(dest));
    else if (a && report?.local) void openLocal(report.local);
  });
  return dest;
}

export async function openResultFile(d: NotebookDeps, run: NotebookRunRecord, file: RunFile): Promise<void> {
  const local = join(resultsDir(run), ...file.path.split('/'));
  if (!file.id) return openLocal(local);
  if (file.mimeType.startsWith('application/vnd.google-apps.')) {
    await vscode.env.openExternal(vscode.Uri.parse(`https://drive.google.com/open?id=${file.id}`));
    return;
  }
  await withCancellableProgress(`Airlock: downloading ${file.path}`, async (signal) => {
    const { drive } = await openDrive(d, signal);
    await writeUriAtomic(vscode.Uri.file(local), await drive.download(file.id, file.path));
  });
  await openLocal(local);
}

/** Reads the run's status file and files from Drive (a run this window no longer follows). */
export async function checkStatus(d: NotebookDeps, run: NotebookRunRecord): Promise<void> {
  if (!run.folderId) throw new Error(`${run.notebook} has no results folder on Drive to check`);
  const found = await withCancellableProgress(`Airlock: reading the status of ${run.runId ?? run.notebook} from Drive`, async (signal) => {
    const { colab, drive } = await openDrive(d, signal);
    const [status, files] = await Promise.all([colab.readRunStatus(drive, run.folderId!), colab.listRunResults(drive, run.folderId!)]);
    return { status, files };
  });
  run.files = found.files;
  if (found.status) applyStatus(run, found.status, d.model.isFollowed(run.id));
  d.model.update(run);
  void vscode.window.showInformationMessage(
    `Airlock: ${run.runId ?? run.notebook}: ${found.status ? `${found.status.state}, cell ${found.status.cell}/${found.status.total}${found.status.error ? ` — ${found.status.error}` : ''}` : 'the notebook has not written a status yet'}; ${found.files.length} files on Drive.`,
  );
}

/** A Jupyter run's written files, fetched through the server's Contents API into the results folder. */
export async function downloadJupyterResults(d: NotebookDeps, run: NotebookRunRecord): Promise<string | undefined> {
  const dest = resultsDir(run);
  const files = run.written ?? [];
  const conn = d.model.connections.get(run.id);
  if (files.length && !conn)
    throw new UserError(`the files of ${run.notebook} are on ${run.target}, whose token this window no longer has — run it again to fetch them.`);
  const got = await withCancellableProgress(`Airlock: downloading the results of ${run.notebook} from ${run.target}`, async (signal, report) => {
    const { readServerFile } = await import('../../core/notebook/jupyterFiles');
    const out: string[] = [];
    for (const f of files) {
      report(`${out.length + 1}/${files.length}: ${f.path}`);
      const local = join(dest, ...f.path.split('/'));
      await writeUriAtomic(vscode.Uri.file(local), await readServerFile(conn!.server, conn!.token, f.path, signal));
      out.push(local);
    }
    return out;
  });
  run.downloadedTo = dest;
  d.model.update(run);
  const actions = [...(run.output ? ['Open Executed Notebook'] : []), ...(got.length ? ['Reveal in Explorer'] : [])];
  void vscode.window
    .showInformationMessage(
      `Airlock: ${got.length} file${got.length === 1 ? '' : 's'} of ${run.notebook} in ${vscode.workspace.asRelativePath(dest)}.`,
      ...actions,
    )
    .then((a) => {
      if (a === 'Reveal in Explorer') void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(dest));
      if (a === 'Open Executed Notebook' && run.output) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(run.output));
    });
  return dest;
}
