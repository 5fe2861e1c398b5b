import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { localRunSource, type LocalRunFacts } from '../../../core/journal/localRunSource';
import type { RunSource } from '../../../core/journal/importRun';
import { UserError } from '../../../core/errors/userError';
import { runHasResults, type NotebookRunRecord } from '../../../core/notebook/notebookRun';
import type { NotebookDeps } from '../../notebook/notebookDeps';
import { downloadRunResults } from '../../notebook/commands/downloadRunResults';
import { RunNode } from '../../notebook/notebookRunNodes';
import { importIntoWorkspace } from './importRunShared';

function facts(run: NotebookRunRecord): LocalRunFacts {
  const params = Object.entries(run.params ?? {});
  return {
    what: `notebook ${run.source} (${run.state})${params.length ? ` with ${params.map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}`,
    host: run.kind === 'colab' ? 'Google Colab' : run.target,
    ...(run.gpu ? { gpu: run.gpu } : {}),
    tier: run.kind === 'colab' ? `Colab${run.gpuRequest ? ` (${run.gpuRequest} asked)` : ''}` : 'Jupyter',
    startedAt: new Date(run.startedAt).toISOString(),
    ...(run.endedAt ? { endedAt: new Date(run.endedAt).toISOString() } : {}),
  };
}

/**
 * Import Run on a finished notebook run: its results (downloaded first when they are not here yet)
 * and, for a Jupyter run, the executed notebook; with the target, GPU and times.
 */
export async function importRunFromNotebook(d: NotebookDeps, run: NotebookRunRecord): Promise<void> {
  if (run.state !== 'done' && run.state !== 'failed') throw new UserError(`${run.notebook} is ${run.state}: import it once it has finished.`);
  if (!runHasResults(run)) throw new UserError(`${run.notebook} (${run.target}) left no results to import.`);
  let dir = run.downloadedTo;
  if (!dir || !existsSync(dir)) {
    dir = await downloadRunResults(d, run.id);
    if (!dir) return;
  }
  const from = dir;
  const output = run.kind === 'jupyter' && run.output && existsSync(run.output) ? run.output : undefined;
  const name = run.runId ?? `${run.notebook.replace(/\.ipynb$/, '')}-${new Date(run.startedAt).toISOString().replace(/[:.]/g, '-')}`;
  await importIntoWorkspace(`notebook run ${name}`, name, async (config): Promise<RunSource> => {
    // A Jupyter run that wrote no file has only its executed notebook (no results folder).
    const s: RunSource = existsSync(from) ? await localRunSource(from, facts(run), { include: config.include }) : { ...facts(run), checkpoints: [], files: [] };
    if (output && !s.files.some((f) => f.path === basename(output))) s.files.push({ path: basename(output), read: () => readFile(output) });
    if (!s.files.length) throw new UserError(`${run.notebook}: nothing to import in ${from}.`);
    return s;
  });
}

/** The command's argument: a Notebooks row, or `{ notebookRun: id }` (tests, other commands). */
export async function importRunFromNotebookArg(d: NotebookDeps, arg: RunNode | { notebookRun: string }): Promise<void> {
  const run = arg instanceof RunNode ? arg.run : d.model.get(arg.notebookRun);
  if (!run) throw new UserError('That notebook run is no longer listed in the Notebooks view.');
  return importRunFromNotebook(d, run);
}
