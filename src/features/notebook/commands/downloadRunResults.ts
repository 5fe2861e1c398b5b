import type { NotebookDeps } from '../notebookDeps';
import { downloadResults } from '../runResults';
import { pickRun, type RunTarget } from './pickRun';

/** Notebooks: Download Results of a Colab run (from its Drive folder); resolves with the local folder. */
export async function downloadRunResults(d: NotebookDeps, target?: RunTarget): Promise<string | undefined> {
  const r = await pickRun(d, target, 'download', (x) => !!x.folderId);
  return r && downloadResults(d, r);
}
