import * as vscode from 'vscode';
import { parseMetadataPairs } from '../../../core/pods/metadata';
import type { PodCommandDeps } from './podCommandDeps';

/** Pods: Filter by metadata. */
export async function filterPods(deps: PodCommandDeps): Promise<void> {
  const { model } = deps;
  const current = Object.entries(model.filter)
    .map(([k, v]) => (v === undefined ? k : `${k}=${v}`))
    .join(' ');
  const text = await vscode.window.showInputBox({
    title: 'Filter pods by metadata',
    prompt: 'key=value (or just key) pairs, all must match; empty shows every pod',
    value: current,
    ignoreFocusOut: true,
  });
  if (text === undefined) return;
  model.setFilter(parseMetadataPairs(text.split(/\s+/).filter(Boolean)));
}
