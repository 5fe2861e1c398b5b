import * as vscode from 'vscode';
import { commandIds } from '../../ids';
import { MessageNode, openAtLine } from '../tree/messageNode';
import type { TreeRefresh } from '../tree/treeRefresh';
import { PhaseNode, WorkersNode, type PhasesTreeNode } from './phaseNodes';
import type { PhasesModel } from './phasesModel';

/** The Phases view: one node per phase with counts, entries grouped by state, workers started here. */
export class PhasesTreeProvider implements vscode.TreeDataProvider<PhasesTreeNode>, vscode.Disposable {
  readonly onDidChangeTreeData: vscode.Event<PhasesTreeNode | undefined>;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly model: PhasesModel,
    refresh: TreeRefresh<PhasesTreeNode>,
  ) {
    this.onDidChangeTreeData = refresh.onDidChangeTreeData;
    this.subscription = model.onDidChange(() => refresh.changed());
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
      roots.push(new MessageNode('phases:plan-error', m.planError, 'error', openAtLine(m.planFile!, line)));
      return roots;
    }
    if (!m.plan) return roots;
    if (m.statusError)
      roots.push(
        new MessageNode('phases:status-error', `Could not read the queue: ${m.statusError}`, 'error', { title: 'Refresh', command: commandIds.phasesRefresh }),
      );
    const st = m.status;
    if (st?.fetchError)
      roots.push(
        new MessageNode('phases:offline', `Offline — showing ${st.source}: ${st.fetchError}`, 'warning', {
          title: 'Refresh',
          command: commandIds.phasesRefresh,
        }),
      );
    for (const p of st?.phases ?? []) roots.push(new PhaseNode(p, Date.now()));
    return roots;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
