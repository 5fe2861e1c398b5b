import * as vscode from 'vscode';

/** A cancellable notification; the token reaches the task as an AbortSignal, messages as progress. */
export function withCancellableProgress<T>(title: string, task: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const ctl = new AbortController();
    token.onCancellationRequested(() => ctl.abort());
    return task(ctl.signal, (message) => progress.report({ message }));
  });
}
