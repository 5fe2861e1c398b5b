import type * as vscode from 'vscode';
import type { NotebookRunRecord } from '../../../core/notebook/notebookRun';
import { dispatchNotebook, type DispatchRequest } from '../dispatchFlow';
import type { NotebookDeps } from '../notebookDeps';

/** Notebooks: Dispatch… — to Colab or a Jupyter server; `req` skips the form (tests, Render's "Dispatch…"). */
export function dispatchToTarget(d: NotebookDeps, target?: vscode.Uri | string, req?: DispatchRequest): Promise<NotebookRunRecord | undefined> {
  return dispatchNotebook(d, target, req ?? {});
}
