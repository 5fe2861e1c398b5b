import * as vscode from 'vscode';
import type { NotebookRunRecord } from '../../../core/notebook/notebookRun';
import type { NotebookDeps } from '../notebookDeps';
import { ResultFileNode, RunNode } from '../notebookRunNodes';

/** What a run command is invoked on: a row of the Notebooks view, a run id (tests, other commands), or nothing (the palette). */
export type RunTarget = RunNode | ResultFileNode | string;

/** The run from a tree node or id, else the only run that `fits`, else a pick among them. */
export async function pickRun(
  d: NotebookDeps,
  arg: RunTarget | undefined,
  what: string,
  fits: (r: NotebookRunRecord) => boolean,
): Promise<NotebookRunRecord | undefined> {
  if (arg instanceof RunNode || arg instanceof ResultFileNode) return arg.run;
  if (typeof arg === 'string') return d.model.get(arg);
  const candidates = d.model.runs.filter(fits);
  if (candidates.length <= 1) {
    if (!candidates.length) void vscode.window.showInformationMessage(`Airlock: no notebook run to ${what}.`);
    return candidates[0];
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((r) => ({
      label: `${r.notebook} · ${new Date(r.startedAt).toLocaleTimeString()}`,
      description: `${r.target} · ${r.state}`,
      detail: `${new Date(r.startedAt).toLocaleString()}${r.runId ? ` · ${r.runId}` : ''}`,
      r,
    })),
    { placeHolder: `Which run to ${what}?` },
  );
  return picked?.r;
}
