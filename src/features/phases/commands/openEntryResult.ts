import * as vscode from 'vscode';
import { layout } from '../../../core/phases/layout';
import { EntryNode } from '../phaseNodes';
import { queueUri } from '../queueDocuments';
import { type PhaseCommandDeps, refOf } from './phaseCommandDeps';

/** Phases: Open Result of an entry (read from the queue's ref). */
export async function openEntryResult(deps: PhaseCommandDeps, arg?: EntryNode): Promise<void> {
  const { model } = deps;
  if (!(arg instanceof EntryNode)) return;
  await vscode.window.showTextDocument(queueUri(layout.result(arg.entry), refOf(model)), { preview: true });
}
