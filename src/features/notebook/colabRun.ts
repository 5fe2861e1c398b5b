// A Colab dispatch from the editor: the run appears in the Notebooks view, its progress (cell x/y,
// GPU) in the status bar, everything it says in Live Logs; Cancel stops it (the page is interrupted,
// the runtime released). At the end: a notification with what to do next, and the webhook if set.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { GpuChoice } from '../../core/notebook/render';
import { applyDispatchEvent, runProgress, type NotebookRunRecord } from '../../core/notebook/notebookRun';
import { ColabError, isColabError } from '../../core/colab/colabErrors';
import { UserError } from '../../core/errors/userError';
import { errorMessage } from '../../core/text/errorMessage';
import { presentError } from '../presentError';
import { findColabCli } from '../../core/colab/colabCli';
import { loadColab } from '../../core/colab/loadColab';
import { isCancelled } from '../../core/process/errors';
import { readSettings } from '../settings';
import type { NotebookDeps } from './notebookDeps';
import { announceEnd, startRunLog } from './runAnnounce';
import { googleEndpoints } from './driveCredentials';

export interface ColabRunRequest {
  source: vscode.Uri;
  templateText: string;
  set: Record<string, string>;
  gpu: GpuChoice;
  /** Show Chrome (sign in to Google, allow Drive); default: only on the first run, when a display exists. */
  showBrowser?: boolean;
}

/** Whether a browser window can appear here (a desktop, not an SSH session or a container). */
const hasDisplay = () => process.platform !== 'linux' || !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

export async function runOnColab(d: NotebookDeps, req: ColabRunRequest): Promise<NotebookRunRecord | undefined> {
  const credentials = await d.credentials.getOrAsk();
  if (!credentials) return undefined;
  const s = readSettings();
  const fileName = basename(req.source.fsPath);
  const colabCli = s.colabTransport === 'browser' ? undefined : await findColabCli();
  const transport = s.colabTransport === 'auto' ? (colabCli ? 'colab-cli' : 'browser') : s.colabTransport;
  if (transport === 'colab-cli' && !colabCli)
    throw new Error(
      'airlock.colab.transport is "colab-cli" but Google\'s colab tool is not on PATH (pip install google-colab-cli), or set the transport to "browser"',
    );
  const storage = d.context.globalStorageUri.fsPath;
  const profileDir = join(storage, 'colab-profile');
  // The first run shows the browser so the user can sign in to Google once; later runs are headless.
  const showBrowser = hasDisplay() && (req.showBrowser ?? (s.colabShowBrowser || !existsSync(profileDir)));

  const { run, signal } = d.model.add({
    kind: 'colab',
    notebook: fileName,
    source: vscode.workspace.asRelativePath(req.source),
    target: `Colab · ${req.gpu === 'none' ? 'CPU' : req.gpu}`,
    state: 'uploading',
    params: req.set,
    gpuRequest: req.gpu,
  });
  const { streamId, jobId, append } = startRunLog(d, run, signal);
  append(
    `[airlock] dispatching ${fileName} to Colab (${transport}${transport === 'browser' ? (showBrowser ? ', browser shown' : ', headless') : ''}) with ${await d.credentials.describe()}`,
  );
  try {
    const { dispatchToColab } = await loadColab();
    const r = await dispatchToColab({
      templateText: req.templateText,
      fileName,
      set: req.set,
      gpu: req.gpu,
      driveFolder: s.colabDriveFolder,
      ...(s.colabDriveRootId ? { driveRootId: s.colabDriveRootId } : {}),
      mountRoot: s.colabMountRoot,
      credentials,
      ...(process.env.AIRLOCK_DRIVE_ROOT_URL ? { driveRootUrl: process.env.AIRLOCK_DRIVE_ROOT_URL } : {}),
      ...googleEndpoints(),
      transport,
      ...(colabCli ? { colabCli } : {}),
      browser: {
        ...(process.env.AIRLOCK_COLAB_URL ? { colabUrl: process.env.AIRLOCK_COLAB_URL } : {}),
        profileDir,
        headless: !showBrowser,
        screenshotDir: join(storage, 'colab-screenshots'),
        ...(s.colabBrowserPath ? { executablePath: s.colabBrowserPath } : {}),
      },
      timeoutMs: s.colabTimeoutMinutes * 60_000,
      pollMs: s.colabPollSec * 1000,
      signal,
      onEvent: (e) => {
        const line = applyDispatchEvent(run, e);
        if (line !== undefined) append(line, e.type === 'output' && e.stream === 'stderr');
        const p = e.type === 'status' ? runProgress(run) : undefined;
        if (p) d.logs.jobs.progress(jobId, { done: p.at, total: p.total });
        d.model.update(run);
      },
    });
    run.files = r.files;
    if (r.screenshot) run.screenshot = r.screenshot;
    run.state = r.state;
    if (r.status?.traceback) append(r.status.traceback.trimEnd(), true);
    if (r.state === 'failed') run.error = r.status?.error ? `cell ${r.status.cell}/${r.status.total}: ${r.status.error}` : 'the notebook failed';
  } catch (err) {
    run.state = isCancelled(err) || signal.aborted ? 'cancelled' : 'failed';
    if (run.state === 'failed') {
      run.error = errorMessage(err);
      if (isColabError(err) && err.screenshot) run.screenshot = err.screenshot;
      append(`[airlock] ${run.error}`, true);
    } else append('[airlock] cancelled — the notebook was interrupted on Colab; what it wrote so far is in its Drive folder');
    d.log.warn(`colab ${fileName}: ${run.state}${run.error ? ` — ${run.error}` : ''}`);
    if (isColabError(err) && (err.code === 'sign-in-needed' || err.code === 'drive-not-authorised')) {
      await finish(d, run, streamId, jobId, false);
      offerSignIn(d, req, err);
      return run;
    }
  }
  await finish(d, run, streamId, jobId);
  return run;
}

async function finish(d: NotebookDeps, run: NotebookRunRecord, streamId: string, jobId: string, toast = true): Promise<void> {
  run.endedAt ??= Date.now();
  d.model.update(run);
  await announceEnd(d, run, streamId, jobId, toast);
}

/** Sign-in and Drive consent need a visible browser: the error presenter offers to run again with it shown. */
function offerSignIn(d: NotebookDeps, req: ColabRunRequest, err: ColabError): void {
  if (!hasDisplay()) {
    presentError(
      new UserError(
        `${err.message}. This machine has no display for the browser window: run "airlock colab dispatch --headed" once on a desktop with the same profile, or use Google's colab tool (airlock.colab.transport).`,
      ),
      { what: 'Colab run', log: d.log },
    );
    return;
  }
  const signIn = new ColabError(err.code, `${err.message.split(' — ')[0]}. Sign in (or allow Drive) once in a browser window; later runs are headless.`);
  presentError(signIn, { what: 'Colab run', log: d.log, retry: () => runOnColab(d, { ...req, showBrowser: true }) });
}
