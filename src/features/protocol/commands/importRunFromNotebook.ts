import { existsSync } from 'node:fs';
import { localRunSource } from '../../../core/journal/localRunSource';
import { UserError } from '../../../core/errors/userError';
import { runHasResults, type NotebookRunRecord } from '../../../core/notebook/notebookRun';
import type { NotebookDeps } from '../../notebook/notebookDeps';
import { downloadRunResults } from '../../notebook/commands/downloadRunResults';
import { RunNode } from '../../notebook/notebookRunNodes';
import { importIntoWorkspace } from './importRunShared';

/** Import Run on a finished notebook run: its results (downloaded first when they are not here yet), target, GPU and times. */
export async function importRunFromNotebook(d: NotebookDeps, run: NotebookRunRecord): Promise<void> {
  if (run.state !== 'done' && run.state !== 'failed') throw new UserError(`${run.notebook} is ${run.state}: import it once it has finished.`);
  let dir = run.downloadedTo && existsSync(run.downloadedTo) ? run.downloadedTo : undefined;
  if (!dir) {
    if (!runHasResults(run)) throw new UserError(`${run.notebook} (${run.target}) left no results to import.`);
    dir = await downloadRunResults(d, run.id);
    if (!dir) return;
  }
  const where = run.kind === 'colab' ? 'Google Colab' : run.target;
  await importIntoWorkspace(`notebook run ${run.runId ?? run.notebook}`, run.runId ?? `${run.notebook.replace(/\.ipynb$/, '')}-${run.startedAt}`, (config) =>
    localRunSource(
      dir,
      {
        what: `notebook ${run.source} (${run.state})${
          run.params && Object.keys(run.params).length
            ? ` with ${Object.entries(run.params)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')}`
            : ''
        }`,
        host: where,
        ...(run.gpu ? { gpu: run.gpu } : {}),
        tier: run.kind === 'colab' ? `Colab${run.gpuRequest ? ` (${run.gpuRequest} asked)` : ''}` : 'Jupyter',
        startedAt: new Date(run.startedAt).toISOString(),
        ...(run.endedAt ? { endedAt: new Date(run.endedAt).toISOString() } : {}),
      },
      { include: config.include },
    ),
  );
}

/** The command's argument: a Notebooks row, or `{ notebookRun: id }` (tests, other commands). */
export async function importRunFromNotebookArg(d: NotebookDeps, arg: RunNode | { notebookRun: string }): Promise<void> {
  const run = arg instanceof RunNode ? arg.run : d.model.get(arg.notebookRun);
  if (!run) throw new UserError('That notebook run is no longer listed in the Notebooks view.');
  return importRunFromNotebook(d, run);
}
