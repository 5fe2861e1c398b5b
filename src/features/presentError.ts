// The one place a failure becomes a notification: every command (through the registry), the sweep
// run, the Colab run and the cost guard call this. The mapping (message, actions) is core's
// errorNotice; this shows it, logs the details and runs the action the user picks.
import * as vscode from 'vscode';
import { errorNotice, type ErrorNotice, type NoticeAction } from '../core/errors/errorNotice';
import { errorMessage } from '../core/text/errorMessage';

export interface PresentErrorOptions {
  /** The command or task, as a person names it ("Create Pod"): `Airlock: Create Pod failed — …`. */
  what?: string;
  log: vscode.LogOutputChannel;
  /** Runs the work again (offered for host-key refusals; `showBrowser` for a Colab sign-in). */
  retry?: (o: { showBrowser: boolean }) => unknown;
}

/**
 * Shows `err` (nothing for a cancel) and returns what it shows. It does not wait for the user: a
 * command must not hang until its error notification is dismissed; the picked action runs later.
 */
export function presentError(err: unknown, o: PresentErrorOptions): ErrorNotice | undefined {
  const notice = errorNotice(err, o.what, { canRetry: !!o.retry });
  if (!notice) return undefined;
  o.log.error(`${o.what ?? 'Airlock'}: ${err instanceof Error && err.stack ? err.stack : notice.message}`);
  void Promise.resolve(vscode.window.showErrorMessage(notice.message, ...notice.actions.map((a) => a.title)))
    .then(async (picked) => {
      const action = notice.actions.find((a) => a.title === picked);
      if (action) await runAction(action, o);
    })
    .catch((e: unknown) => o.log.error(`${o.what ?? 'Airlock'}: ${errorMessage(e)}`));
  return notice;
}

async function runAction(a: NoticeAction, o: PresentErrorOptions): Promise<void> {
  switch (a.kind) {
    case 'open': {
      const line = Math.max(0, a.line - 1);
      await vscode.window.showTextDocument(vscode.Uri.file(a.file), { selection: new vscode.Range(line, 0, line, 0) });
      return;
    }
    case 'command':
      await vscode.commands.executeCommand(a.command);
      return;
    case 'retry':
      await o.retry?.({ showBrowser: a.showBrowser });
      return;
    case 'log':
      o.log.show(true);
      return;
  }
}
