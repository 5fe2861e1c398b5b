// A notebook run cell by cell on any Jupyter server (a pod, a lab machine, a local server): listed
// in the Notebooks view, output streaming into Live Logs, progress and Cancel in the status bar;
// the executed notebook is written next to the source.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { runProgress, type NotebookRunRecord } from '../../core/notebook/notebookRun';
import { isCancelled } from '../../core/process/errors';
import type { NotebookDeps } from './notebookDeps';
import { announceEnd, startRunLog } from './runAnnounce';
import { errorMessage } from '../../core/text/errorMessage';
import { writeUriAtomic } from '../writeUri';

export interface JupyterRunRequest {
  source: vscode.Uri;
  /** The notebook's text (rendered with parameters, or as on disk). */
  text: string;
  server: string;
  token: string;
  /** How the target is named in the view (a pod's name; the URL by default). */
  target?: string;
  /** The target as picked (`pod:<id>` or the URL), so Run Again offers it first. */
  targetRef?: string;
  params?: Record<string, string>;
}

/** Lists what the run wrote on the server (shown under the run; Download Results fetches it). */
async function listWritten(d: NotebookDeps, run: NotebookRunRecord, req: JupyterRunRequest, append: (t: string, err?: boolean) => void): Promise<void> {
  try {
    const { listWrittenFiles } = await import('../../core/notebook/jupyterFiles');
    const files = await listWrittenFiles(req.server, req.token, run.startedAt);
    run.written = files.map((f) => ({ path: f.path, ...(f.size !== undefined ? { size: f.size } : {}) }));
    d.model.connections.set(run.id, { server: req.server, token: req.token });
    append(
      `[airlock] the run wrote ${files.length} file${files.length === 1 ? '' : 's'} on the server${
        files.length
          ? `: ${files
              .slice(0, 5)
              .map((f) => f.path)
              .join(', ')}${files.length > 5 ? ', …' : ''}`
          : ''
      }`,
    );
  } catch (err) {
    append(`[airlock] could not list the files the run wrote: ${errorMessage(err)}`, true);
  }
}

export async function runOnJupyter(d: NotebookDeps, req: JupyterRunRequest): Promise<NotebookRunRecord> {
  const nb = JSON.parse(req.text) as Record<string, unknown>;
  const output = req.source.fsPath.replace(/(\.rendered)?\.ipynb$/i, '.executed.ipynb');
  const { run, signal } = d.model.add({
    kind: 'jupyter',
    notebook: basename(req.source.fsPath),
    source: vscode.workspace.asRelativePath(req.source),
    target: req.target ?? req.server,
    state: 'starting',
    server: req.targetRef ?? req.server,
    ...(req.params && Object.keys(req.params).length ? { params: req.params } : {}),
  });
  const { streamId, jobId, append } = startRunLog(d, run, signal);
  const total = Array.isArray(nb.cells) ? nb.cells.filter((c: { cell_type?: string }) => c.cell_type === 'code').length : 0;
  const { runNotebook } = await import('../../core/notebook/jupyterRun');
  try {
    const r = await runNotebook(nb, {
      serverUrl: req.server,
      token: req.token,
      signal,
      onEvent: (e) => {
        if (e.type === 'cell-start') {
          Object.assign(run, { state: 'running', cell: e.cell, total: e.total || total });
          // Log, tree row and status bar read the same progress (runProgress).
          const p = runProgress(run);
          append(`\x1b[2m── ${p?.label ?? `cell ${e.cell + 1}`}\x1b[0m`);
          if (p) d.logs.jobs.progress(jobId, { done: p.at, total: p.total });
          d.model.update(run);
        }
        if (e.type === 'cell-done') {
          run.cell = Math.min(e.cell + 1, run.total ?? e.cell + 1);
          d.model.update(run);
        }
        if (e.type === 'output' && e.line !== undefined) append(e.line, e.stream === 'stderr');
        if (e.type === 'kernel' && e.message) append(`[airlock] ${e.message}`);
      },
    });
    await writeUriAtomic(vscode.Uri.file(output), Buffer.from(`${JSON.stringify(r.notebook, null, 1)}\n`, 'utf8'));
    run.output = output;
    await listWritten(d, run, req, append);
    if (r.error) {
      run.state = 'failed';
      run.error = `cell ${r.error.cell + 1}/${r.error.total}: ${r.error.ename}: ${r.error.evalue}`;
    } else if (r.timedOut) {
      run.state = 'failed';
      run.error = 'timed out — the kernel was interrupted and shut down';
    } else {
      run.state = 'done';
      run.cell = run.total ? Math.min(r.executed, run.total) : r.executed;
    }
  } catch (err) {
    run.state = isCancelled(err) || signal.aborted ? 'cancelled' : 'failed';
    if (run.state === 'cancelled') append('[airlock] cancelled — the kernel was interrupted and shut down');
    else run.error = errorMessage(err);
  }
  run.endedAt = Date.now();
  d.model.update(run);
  await announceEnd(d, run, streamId, jobId);
  return run;
}
