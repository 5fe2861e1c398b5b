import type { NotebookDeps } from '../notebookDeps';
import { checkStatus } from '../runResults';
import { pickRun, type RunTarget } from './pickRun';

/** Notebooks: Check Status of a run no longer followed (reads its status file on Drive). */
export async function checkRunStatus(d: NotebookDeps, target?: RunTarget): Promise<void> {
  const r = await pickRun(d, target, 'check', (x) => !!x.folderId && !d.model.isFollowed(x.id));
  if (r) await checkStatus(d, r);
}
