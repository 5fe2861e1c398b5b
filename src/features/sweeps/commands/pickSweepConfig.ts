import * as vscode from 'vscode';
import { looksLikeSweepConfig } from '../../../core/sweep/sweepRuns';

/** A sweep config from a command argument (an explorer Uri or a path), else a pick from the workspace. */
export async function pickSweepConfig(target: vscode.Uri | string | undefined): Promise<string | undefined> {
  if (target instanceof vscode.Uri) return target.fsPath;
  if (typeof target === 'string') return target;
  const active = vscode.window.activeTextEditor?.document;
  const found = await vscode.workspace.findFiles(
    '**/*.json',
    '{**/node_modules/**,**/.airlock/**,**/collected_runs/**,**/package*.json,**/tsconfig*.json}',
    500,
  );
  const candidates: vscode.Uri[] = [];
  for (const f of found) if (looksLikeSweepConfig(Buffer.from(await vscode.workspace.fs.readFile(f)).toString('utf8'))) candidates.push(f);
  const items = candidates.map((f) => ({
    label: vscode.workspace.asRelativePath(f),
    uri: f as vscode.Uri | undefined,
    picked: f.fsPath === active?.uri.fsPath,
  }));
  const picked = await vscode.window.showQuickPick([...items, { label: '$(folder-opened) Browse…', uri: undefined, picked: false }], {
    placeHolder: 'Sweep config (BloomBee cluster_launch / sequenced sweep JSON)',
  });
  if (!picked) return undefined;
  return picked.uri?.fsPath ?? (await vscode.window.showOpenDialog({ filters: { JSON: ['json'] } }))?.[0]?.fsPath;
}
