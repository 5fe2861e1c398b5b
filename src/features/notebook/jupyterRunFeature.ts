// A notebook run cell by cell on any Jupyter server (a pod, a lab machine, a local server): listed
// in the Notebooks view, output streaming into Live Logs, progress and Cancel in the status bar;
// the executed notebook is written next to the source.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { NotebookRunRecord } from '../../core/notebook/notebookRun';
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
  params?: Record<string, string>;
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
          append(`\x1b[2m── cell ${e.cell + 1}\x1b[0m`);
          Object.assign(run, { state: 'running', cell: e.cell, total: e.total || total });
          d.logs.jobs.progress(jobId, { done: e.cell, total: e.total || total, message: `cell ${e.cell + 1}/${e.total || total}` });
          d.model.update(run);
        }
        if (e.type === 'cell-done') {
          run.cell = e.cell + 1;
          d.model.update(run);
        }
        if (e.type === 'output' && e.line !== undefined) append(e.line, e.stream === 'stderr');
        if (e.type === 'kernel' && e.message) append(`[airlock] ${e.message}`);
      },
    });
    await writeUriAtomic(vscode.Uri.file(output), Buffer.from(`${JSON.stringify(r.notebook, null, 1)}\n`, 'utf8'));
    run.output = output;
    if (r.error) {
      run.state = 'failed';
      run.error = `cell ${r.error.cell + 1}: ${r.error.ename}: ${r.error.evalue}`;
    } else if (r.timedOut) {
      run.state = 'failed';
      run.error = 'timed out — the kernel was interrupted and shut down';
    } else {
      run.state = 'done';
      run.cell = r.executed;
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
