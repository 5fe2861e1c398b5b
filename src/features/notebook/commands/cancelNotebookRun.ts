import { runIsActive } from '../../../core/notebook/notebookRun';
import type { NotebookDeps } from '../notebookDeps';
import { pickRun, type RunTarget } from './pickRun';

/** Notebooks: Cancel Run. */
export async function cancelNotebookRun(d: NotebookDeps, target?: RunTarget): Promise<void> {
  const r = await pickRun(d, target, 'cancel', runIsActive);
  if (r) d.model.cancel(r.id);
}
