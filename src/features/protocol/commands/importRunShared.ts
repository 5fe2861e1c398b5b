import * as vscode from 'vscode';
import { UserError } from '../../../core/errors/userError';
import { loadAirlockConfig, type AirlockConfig } from '../../../core/bundle/airlockConfig';
import { importRun, type RunSource } from '../../../core/journal/importRun';
import { withCancellableProgress } from '../../progress';

/** The part every Import Run shares: the workspace and its settings, the experiment name, progress, the journal shown at the new entry. */
export async function importIntoWorkspace(
  title: string,
  run: string,
  source: (config: AirlockConfig, signal: AbortSignal) => Promise<RunSource>,
): Promise<{ dir: string; files: string[]; journal: string } | undefined> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!workspace) throw new UserError('Open the repository folder first: runs are imported into it.');
  const config = await loadAirlockConfig(workspace);
  const experiment =
    config.experiment ?? (await vscode.window.showInputBox({ title: 'Experiment name (runs go to experiments/<name>/runs/)', ignoreFocusOut: true }));
  if (!experiment) return undefined;
  const r = await withCancellableProgress(`Airlock: importing ${title}`, async (signal, report) => {
    report('reading the run…');
    const s = await source(config, signal);
    report(`${s.files.length} files`);
    return importRun(s, { workspace, experiment, run, journal: config.journal, signal });
  });
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(r.journal));
  await vscode.window.showTextDocument(doc, { preview: true, selection: new vscode.Range(doc.lineCount - 1, 0, doc.lineCount - 1, 0) });
  void vscode.window.showInformationMessage(`Airlock: imported ${r.files.length} files into ${r.dir}; journal entry appended.`);
  return r;
}
