import * as vscode from 'vscode';
import type { NotebookRunRecord } from '../../../core/notebook/notebookRun';
import { dispatchNotebook } from '../dispatchFlow';
import type { NotebookDeps } from '../notebookDeps';

/** Notebooks: Run on Jupyter — on the server given (tests, scripts) or picked; resolves with the outcome. */
export async function runOnJupyter(
  d: NotebookDeps,
  target?: vscode.Uri | string,
  server?: string,
  token?: string,
): Promise<{ ok: boolean; output?: vscode.Uri; run?: NotebookRunRecord } | undefined> {
  const r = await dispatchNotebook(d, target, server ? { target: { server, ...(token !== undefined ? { token } : {}) }, set: {} } : {}, true);
  return r && { ok: r.state === 'done', ...(r.output ? { output: vscode.Uri.file(r.output) } : {}), run: r };
}
