import type { NotebookDeps } from '../notebookDeps';

/** Notebooks: Clear Finished Runs. */
export function clearNotebookRuns(d: NotebookDeps): void {
  d.model.clearFinished();
}
