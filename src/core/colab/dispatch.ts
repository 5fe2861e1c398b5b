// Dispatch a template notebook to Colab: render it (parameters, GPU request, status writer), upload
// it into a fresh run folder on Drive, run it — in Colab's page through a browser, or with Google's
// `colab` tool — and follow it through the status file the notebook writes into that folder.
// Results stay in the run folder; the caller notifies (the webhook URL never leaves this machine).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNotebook, type GpuChoice } from '../notebook/render';
import type { RunStatus } from '../notebook/statusWriter';
import { CancelledError, isCancelled } from '../process/errors';
import { ColabError, colabAdvice } from './colabErrors';
import { runWithColabCli } from './colabCli';
import { ColabPage, defaultColabUrl, type ColabPageOptions } from './colabPage';
import type { DriveCredentials } from './driveAuth';
import { stampNotebook } from '../provenance/notebookProvenance';
import { DriveApi, colabMime } from './driveClient';
import { monitorRun } from './monitor';
import { driveFolderUrl, listRunResults, readRunStatus, type RunFile } from './results';
import { OutputTail } from './outputTail';

export type ColabTransport = 'browser' | 'colab-cli';

export interface DispatchOptions {
  templateText: string;
  /** The template's file name; the uploaded notebook keeps it. */
  fileName: string;
  set?: Record<string, string>;
  gpu?: GpuChoice;
  /** Run folders are created under this path (default "Airlock/runs"). */
  driveFolder?: string;
  /** Resolve driveFolder from this folder id instead of My Drive (a folder shared with a service account)… */
  driveRootId?: string;
  /** …which the notebook sees at this path (default /content/drive/MyDrive). */
  mountRoot?: string;
  credentials: DriveCredentials;
  driveRootUrl?: string;
  tokenUrl?: string;
  driveRetryDelayMs?: number;
  transport?: ColabTransport;
  /** Browser transport (the log callback comes from onEvent). */
  browser?: Omit<ColabPageOptions, 'log'>;
  /** colab-cli transport: the tool's path (see findColabCli). */
  colabCli?: string;
  /** Whole run (default 2 h). */
  timeoutMs?: number;
  pollMs?: number;
  startTimeoutMs?: number;
  staleAfterMs?: number;
  heartbeatSec?: number;
  runId?: string;
  signal?: AbortSignal;
  onEvent?: (e: DispatchEvent) => void;
}

export type DispatchEvent =
  | { type: 'rendered'; runId: string; changed: string[] }
  | { type: 'uploaded'; runId: string; fileId: string; folderId: string; notebookUrl: string; folderUrl: string }
  | { type: 'log'; message: string }
  | { type: 'status'; status: RunStatus }
  | { type: 'output'; line: string; stream: 'stdout' | 'stderr' };

export interface DispatchResult {
  runId: string;
  fileId: string;
  folderId: string;
  notebookUrl: string;
  folderUrl: string;
  /** How the notebook ended (a failing cell is `failed`, with status.error and status.traceback). */
  state: 'done' | 'failed';
  status?: RunStatus;
  files: RunFile[];
  screenshot?: string;
}

/** `<name>-<UTC yyyymmdd-hhmmss>`: sortable, readable in Drive, safe in a path. */
export function newRunId(fileName: string, now = new Date()): string {
  const base =
    fileName
      .replace(/\.ipynb$/i, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .slice(0, 60) || 'notebook';
  return `${base}-${now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
}

export async function dispatchToColab(o: DispatchOptions): Promise<DispatchResult> {
  const emit = (e: DispatchEvent) => o.onEvent?.(e);
  const log = (message: string) => emit({ type: 'log', message });
  const gpu = o.gpu ?? 'T4';
  const runId = o.runId ?? newRunId(o.fileName);
  const driveFolder = (o.driveFolder ?? 'Airlock/runs').replace(/^\/+|\/+$/g, '');
  const mountRoot = (o.mountRoot ?? '/content/drive/MyDrive').replace(/\/+$/, '');
  const rendered = await renderNotebook(o.templateText, o.fileName, {
    set: o.set ?? {},
    gpu,
    status: {
      runId,
      runDir: `${mountRoot}/${driveFolder}/${runId}`,
      mountDrive: true,
      ...(gpu !== 'none' ? { requireGpu: gpu } : {}),
      ...(o.heartbeatSec ? { heartbeatSec: o.heartbeatSec } : {}),
    },
  });
  emit({ type: 'rendered', runId, changed: rendered.changed });

  const drive = await DriveApi.open({
    credentials: o.credentials,
    rootUrl: o.driveRootUrl,
    tokenUrl: o.tokenUrl,
    signal: o.signal,
    ...(o.driveRetryDelayMs !== undefined ? { retryDelayMs: o.driveRetryDelayMs } : {}),
  });
  const folder = (await drive.folderByPath(`${driveFolder}/${runId}`, { create: true, ...(o.driveRootId ? { rootId: o.driveRootId } : {}) }))!;
  const stamped = await stampNotebook(rendered.text, o.fileName);
  const file = await drive.upload({ parentId: folder.id, name: o.fileName.replace(/^.*[\\/]/, ''), mimeType: colabMime, body: stamped });
  const colabUrl = (o.browser?.colabUrl ?? defaultColabUrl).replace(/\/$/, '');
  const ids = { runId, fileId: file.id, folderId: folder.id, notebookUrl: `${colabUrl}/drive/${file.id}`, folderUrl: driveFolderUrl(folder.id) };
  emit({ type: 'uploaded', ...ids });

  const finish = async (status: RunStatus | undefined, screenshot?: string): Promise<DispatchResult> => ({
    ...ids,
    state: status?.state === 'done' ? 'done' : 'failed',
    ...(status ? { status } : {}),
    files: await listRunResults(drive, folder.id).catch(() => []),
    ...(screenshot ? { screenshot } : {}),
  });

  if ((o.transport ?? 'browser') === 'colab-cli') {
    if (!o.colabCli) throw new ColabError('transport-failed', `no colab command-line tool given — ${colabAdvice['transport-failed']}`);
    const dir = mkdtempSync(join(tmpdir(), 'airlock-colab-'));
    try {
      const local = join(dir, o.fileName.replace(/^.*[\\/]/, ''));
      writeFileSync(local, rendered.text);
      const r = await runWithColabCli({
        cli: o.colabCli,
        notebookPath: local,
        session: `airlock-${runId}`.slice(0, 60),
        gpu,
        timeoutMs: o.timeoutMs ?? 2 * 3600_000,
        signal: o.signal,
        onLine: (line, stream) => emit({ type: 'output', line, stream }),
      });
      if (r.timedOut) throw new ColabError('timeout', `the run did not finish within ${Math.round((o.timeoutMs ?? 0) / 1000)} s — ${colabAdvice.timeout}`);
      // The exit code is the verdict; the status file (when Drive was mounted) adds the details.
      const status = await readRunStatus(drive, folder.id).catch(() => undefined);
      return await finish(
        status ?? {
          run: runId,
          state: r.code === 0 ? 'done' : 'failed',
          cell: 0,
          total: 0,
          error: r.code === 0 ? null : `colab exec exited with ${r.code}`,
          traceback: null,
          gpu: null,
          updatedAt: new Date().toISOString(),
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  if (!o.browser) throw new ColabError('browser-missing', 'no browser options (profileDir, screenshotDir) given');
  const page = await ColabPage.open({ ...o.browser, log }, file.id);
  // What the notebook prints, from the log its status cell tees to Drive.
  const tail = new OutputTail(drive, folder.id);
  const readOutput = async (final = false) => {
    for (const line of await tail.read(final)) emit({ type: 'output', line, stream: 'stdout' });
  };
  try {
    await page.ensureSignedIn();
    if (gpu !== 'none') await page.ensureGpu(gpu);
    await page.runAll();
    log(`Run all started: ${ids.notebookUrl}`);
    const status = await monitorRun({
      readStatus: () => readRunStatus(drive, folder.id),
      pageProblem: () => page.problem(),
      timeoutMs: o.timeoutMs ?? 2 * 3600_000,
      pollMs: o.pollMs,
      startTimeoutMs: o.startTimeoutMs,
      staleAfterMs: o.staleAfterMs,
      signal: o.signal,
      onStatus: (s) => emit({ type: 'status', status: s }),
      readOutput: () => readOutput(),
      onReadError: (e) => log(`Reading the run's files on Drive failed (will retry): ${e.message}`),
    });
    await readOutput(true).catch(() => undefined);
    // A failed notebook gets a picture of the page too: the traceback is usually visible there.
    return await finish(status, status.state === 'failed' ? await page.screenshot('notebook-failed') : undefined);
  } catch (err) {
    if (isCancelled(err) || o.signal?.aborted) {
      await page.interrupt();
      throw new CancelledError();
    }
    if (err instanceof ColabError) {
      // The picture first: interrupting may close the dialog that explains the failure.
      err.screenshot ??= await page.screenshot(err.code);
      if (err.code === 'timeout' || err.code === 'runtime-disconnected') await page.interrupt();
    }
    throw err;
  } finally {
    await page.close();
  }
}
