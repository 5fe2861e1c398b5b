// After a worker started from the editor exits: the results it pushed exist only on the remote, so
// the open checkout is behind. A clean checkout that has not diverged is fast-forwarded at once (and
// says so); one with local changes gets a "Fast-Forward" button; a diverged one is left to the user.
import * as vscode from 'vscode';
import { checkoutState, fastForwardCheckout } from '../../core/phases/checkoutSync';
import { presentError } from '../presentError';

export async function offerFastForward(folder: string, log: vscode.LogOutputChannel): Promise<void> {
  const st = await checkoutState(folder).catch((e: unknown) => void log.warn(`checkout state of ${folder}: ${String(e)}`));
  if (!st || st.behind === 0) return;
  const commits = `${st.behind} commit${st.behind === 1 ? '' : 's'}`;
  if (st.ahead > 0) {
    void vscode.window.showInformationMessage(
      `Airlock: the worker's results are on ${st.upstream} (${commits}), but your checkout has ${st.ahead} commit(s) of its own — pull when ready.`,
    );
    return;
  }
  const run = async () => {
    try {
      await fastForwardCheckout(folder);
      void vscode.window.showInformationMessage(`Airlock: your checkout now has the worker's results — fast-forwarded ${commits} from ${st.upstream}.`);
    } catch (err) {
      presentError(err, { what: 'Fast-forward', log });
    }
  };
  if (st.clean) return run();
  const pick = await vscode.window.showInformationMessage(
    `Airlock: the worker pushed ${commits} to ${st.upstream}; your checkout is behind and has local changes.`,
    'Fast-Forward',
  );
  if (pick === 'Fast-Forward') await run();
}
