import * as vscode from 'vscode';
import { basename } from 'node:path';
import { commandIds } from '../../../ids';
import { notebookParams, renderNotebook, type GpuChoice } from '../../../core/notebook/render';
import { ParamError } from '../../../core/notebook/pyLiteral';
import { gpuChoices, pickNotebook } from '../dispatchFlow';
import { editParams } from '../paramForm';
import { writeUriAtomic } from '../../writeUri';

/** Notebooks: Render Template — the #@param form, a GPU request, written next to the template. */
export async function renderTemplate(target?: vscode.Uri | string): Promise<vscode.Uri | undefined> {
  const uri = await pickNotebook(target, 'Render which template notebook?');
  if (!uri) return undefined;
  const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  const name = basename(uri.fsPath);
  const { params } = notebookParams(text, name);
  if (!params.length) throw new ParamError(`${name} has no #@param lines and no "parameters" cell`);
  const set = await editParams(params, `${name}: parameters`, 'Render with these values');
  if (!set) return undefined;
  const gpu = await vscode.window.showQuickPick(['keep', ...gpuChoices], {
    title: 'GPU request (Colab runtime metadata)',
    placeHolder: 'keep',
    ignoreFocusOut: true,
  });
  if (!gpu) return undefined;
  const r = await renderNotebook(text, name, { set, ...(gpu !== 'keep' ? { gpu: gpu as GpuChoice } : {}) });
  const out = vscode.Uri.file(uri.fsPath.replace(/\.ipynb$/, '.rendered.ipynb'));
  await writeUriAtomic(out, Buffer.from(r.text, 'utf8'));
  void vscode.window
    .showInformationMessage(
      `Airlock: wrote ${vscode.workspace.asRelativePath(out)} (${r.changed.length ? r.changed.join(', ') : 'no parameter changed'}).`,
      'Open',
      'Dispatch…',
    )
    .then((a) => {
      if (a === 'Open') void vscode.commands.executeCommand('vscode.open', out);
      if (a === 'Dispatch…') void vscode.commands.executeCommand(commandIds.notebookDispatch, out, { set: {} });
    });
  return out;
}
