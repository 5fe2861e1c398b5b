import * as vscode from 'vscode';
import { basename } from 'node:path';
import { HostNode } from '../../hosts/hostNodes';
import { type HostCommandDeps, pickHost } from '../../hosts/commands/hostCommandDeps';
import { withCancellableProgress } from '../../progress';
import { UserError } from '../../../core/errors/userError';
import { loadAirlockConfig } from '../../../core/bundle/airlockConfig';
import { hostRunSource } from '../../../core/journal/hostRunSource';
import { importRun } from '../../../core/journal/importRun';

/** Airlock: Import Run… — a finished run directory on a host into experiments/<exp>/runs/<run>/ plus a journal.md entry. */
export async function importRunFromHost(deps: HostCommandDeps, arg?: HostNode | string, dirArg?: string): Promise<void> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!workspace) throw new UserError('Open the repository folder first: runs are imported into it.');
  const config = await loadAirlockConfig(workspace);
  const spec = await pickHost(deps, arg, 'Import a run from…');
  if (!spec) return;
  const dir =
    typeof dirArg === 'string'
      ? dirArg
      : await vscode.window.showInputBox({
          title: `Run directory on ${spec.name}`,
          value: deps.model.bundle(spec.name)?.dir ?? spec.workDir ?? '~',
          ignoreFocusOut: true,
        });
  if (!dir) return;
  const experiment =
    config.experiment ?? (await vscode.window.showInputBox({ title: 'Experiment name (runs go to experiments/<name>/runs/)', ignoreFocusOut: true }));
  if (!experiment) return;
  const run = basename(dir.replace(/\/+$/, '')) || 'run';
  const r = await withCancellableProgress(`Airlock: importing ${spec.name}:${dir}`, async (signal, report) => {
    report('reading the run…');
    const source = await hostRunSource(deps.model.runner(spec.name), dir, { include: config.include, signal });
    report(`${source.files.length} files`);
    return importRun(source, { workspace, experiment, run, journal: config.journal, signal });
  });
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(r.journal));
  await vscode.window.showTextDocument(doc, { preview: true, selection: new vscode.Range(doc.lineCount - 1, 0, doc.lineCount - 1, 0) });
  void vscode.window.showInformationMessage(`Airlock: imported ${r.files.length} files into ${r.dir}; journal entry appended.`);
}
