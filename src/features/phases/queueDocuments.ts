import * as vscode from 'vscode';
import { git } from '../../core/phases/git';

const queueScheme = 'airlock-queue';

/** Read-only documents for files of the queue's remote branch (results, logs) without a checkout. */
export function registerQueueDocuments(folder: () => string | undefined): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(queueScheme, {
    async provideTextDocumentContent(uri) {
      const dir = folder();
      if (!dir) return 'No workspace folder is open.';
      const r = await git(dir, ['show', `${uri.query}:${uri.path.replace(/^\//, '')}`], { allowFail: true });
      return r.code === 0 ? r.stdout : `Could not read ${uri.path} at ${uri.query}: ${r.stderr.trim()}`;
    },
  });
}

export function queueUri(path: string, ref: string): vscode.Uri {
  return vscode.Uri.from({ scheme: queueScheme, path: `/${path}`, query: ref });
}
