// The command boundary shared by the feature command tables: a failure becomes one user-facing
// message (and a log line); cancelling is not an error; long work gets a cancellable notification.
import * as vscode from 'vscode';
import { isCancelled } from '../core/process/errors';

/** Runs a command body; errors are shown as `Airlock: <what> failed — <message>`. */
export async function guarded(what: string, log: vscode.LogOutputChannel, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (isCancelled(err)) return;
    const msg = err instanceof Error ? err.message : String(err);
    log.error(`${what}: ${msg}`);
    void vscode.window.showErrorMessage(`Airlock: ${what} failed — ${msg}`);
  }
}

/** A cancellable notification; the token reaches the task as an AbortSignal, messages as progress. */
export function withCancellableProgress<T>(title: string, task: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const ctl = new AbortController();
    token.onCancellationRequested(() => ctl.abort());
    return task(ctl.signal, (message) => progress.report({ message }));
  });
}
