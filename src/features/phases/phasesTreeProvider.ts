import * as vscode from 'vscode';
import { commandIds } from '../../ids';
import { MessageNode } from '../hosts/hostNodes';
import { PhaseNode, WorkersNode, type PhasesTreeNode } from './phaseNodes';
import type { PhasesModel } from './phasesModel';

/** The Phases view: one node per phase with counts, entries grouped by state, workers started here. */
export class PhasesTreeProvider implements vscode.TreeDataProvider<PhasesTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PhasesTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: PhasesModel) {
    this.subscription = model.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: PhasesTreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getChildren(node?: PhasesTreeNode): PhasesTreeNode[] {
    if (node) return node.children() as PhasesTreeNode[];
    const m = this.model;
    const roots: PhasesTreeNode[] = [];
    if (m.workers.length) roots.push(new WorkersNode(m.workers));
    if (m.planError) {
      const line = Number(/:(\d+):/.exec(m.planError)?.[1] ?? 1);
      roots.push(new MessageNode('phases:plan-error', m.planError, 'error', {
        title: 'Open', command: 'vscode.open',
        arguments: [vscode.Uri.file(m.planFile!), { selection: new vscode.Range(line - 1, 0, line - 1, 0) }],
      }));
      return roots;
    }
    if (!m.plan) return roots;
    if (m.statusError) roots.push(new MessageNode('phases:status-error', `Could not read the queue: ${m.statusError}`, 'error', { title: 'Refresh', command: commandIds.phasesRefresh }));
    const st = m.status;
    if (st?.fetchError) roots.push(new MessageNode('phases:offline', `Offline — showing ${st.source}: ${st.fetchError}`, 'warning', { title: 'Refresh', command: commandIds.phasesRefresh }));
    for (const p of st?.phases ?? []) roots.push(new PhaseNode(p, Date.now()));
    return roots;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
