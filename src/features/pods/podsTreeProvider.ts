import * as vscode from 'vscode';
import { commandIds } from '../../ids';
import { MessageNode } from '../tree/messageNode';
import type { TreeRefresh } from '../tree/treeRefresh';
import { PodNode, type PodsTreeNode } from './podNodes';
import type { PodsModel } from './podsModel';

export class PodsTreeProvider implements vscode.TreeDataProvider<PodsTreeNode> {
  readonly onDidChangeTreeData: vscode.Event<PodsTreeNode | undefined>;

  constructor(
    private readonly model: PodsModel,
    private readonly tunnelPort: (podId: string) => number | undefined,
    refresh: TreeRefresh<PodsTreeNode>,
  ) {
    this.onDidChangeTreeData = refresh.onDidChangeTreeData;
  }

  getTreeItem(node: PodsTreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getChildren(node?: PodsTreeNode): PodsTreeNode[] {
    if (node) return node.children() as PodsTreeNode[];
    const m = this.model;
    const roots: PodsTreeNode[] = [];
    if (m.error) roots.push(new MessageNode('pods:error', m.error, 'error', { title: 'Refresh', command: commandIds.podsRefresh }));
    const filter = Object.entries(m.filter);
    if (filter.length) {
      roots.push(
        new MessageNode(
          'pods:filter',
          `Filtered by ${filter.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join(', ')} — ${m.visiblePods.length} of ${m.pods.length}`,
          'info',
          { title: 'Change filter', command: commandIds.podsFilter },
        ),
      );
    }
    for (const p of m.visiblePods) roots.push(new PodNode(p, this.tunnelPort(p.id)));
    return roots;
  }
}
