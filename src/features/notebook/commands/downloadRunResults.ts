import { runHasResults } from '../../../core/notebook/notebookRun';
import type { NotebookDeps } from '../notebookDeps';
import { downloadJupyterResults, downloadResults } from '../runResults';
import { pickRun, type RunTarget } from './pickRun';

/**
 * Notebooks: Download Results — a Colab run's Drive folder, or the files a Jupyter run wrote on its
 * server (plus its executed notebook); resolves with the local folder.
 */
export async function downloadRunResults(d: NotebookDeps, target?: RunTarget): Promise<string | undefined> {
  const r = await pickRun(d, target, 'download', runHasResults);
  if (!r) return undefined;
  return r.kind === 'jupyter' ? downloadJupyterResults(d, r) : downloadResults(d, r);
}
