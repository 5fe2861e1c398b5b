import * as vscode from 'vscode';
import { layout } from '../../../core/phases/layout';
import { EntryNode } from '../phaseNodes';
import { queueUri } from '../queueDocuments';
import { type PhaseCommandDeps, refOf } from './phaseCommandDeps';

/** Phases: Open Entry Log. */
export async function openEntryLog(deps: PhaseCommandDeps, arg?: EntryNode): Promise<void> {
  const { model } = deps;
  if (!(arg instanceof EntryNode)) return;
  const path = arg.status.state === 'failed' ? layout.failedLog(arg.entry) : layout.log(arg.entry);
  await vscode.window.showTextDocument(queueUri(path, refOf(model)), { preview: true });
}
