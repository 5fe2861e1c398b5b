import { UserError } from '../../../core/errors/userError';
import type { NotebookDeps } from '../notebookDeps';
import { ResultFileNode } from '../notebookRunNodes';
import { openResultFile } from '../runResults';

/** Notebooks: Open Result File (a row under a run). */
export async function openRunResult(d: NotebookDeps, node?: ResultFileNode): Promise<void> {
  if (!(node instanceof ResultFileNode)) throw new UserError('Open Result File works on a result file in the Notebooks view');
  await openResultFile(d, node.run, node.file);
}
