import * as vscode from 'vscode';
import { commandIds } from '../../ids';
import { MessageNode } from '../tree/messageNode';
import type { TreeRefresh } from '../tree/treeRefresh';
import { PodNode, type PodsTreeNode } from './podNodes';
import type { PodsModel } from './podsModel';
import type { PodInfo } from '../../core/pods/types';
import type { HostBundleRecord } from '../../core/bundle/records';

export class PodsTreeProvider implements vscode.TreeDataProvider<PodsTreeNode> {
  readonly onDidChangeTreeData: vscode.Event<PodsTreeNode | undefined>;
  /** One node per pod while its data is unchanged, so the uptime tick can redraw just that row. */
  private readonly nodes = new Map<string, PodNode>();

  constructor(
    private readonly model: PodsModel,
    private readonly tunnelPort: (podId: string) => number | undefined,
    refresh: TreeRefresh<PodsTreeNode>,
    /** The bundle the pod last received (Export Bundle on its row), if any. */
    private readonly bundleFor: (pod: PodInfo) => HostBundleRecord | undefined = () => undefined,
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
    const seen = new Set<string>();
    for (const p of m.visiblePods) {
      seen.add(p.id);
      roots.push(this.nodeFor(p));
    }
    for (const id of [...this.nodes.keys()]) if (!seen.has(id)) this.nodes.delete(id);
    return roots;
  }

  /** The shown rows of running pods: their uptime and cost so far tick while the view is visible. */
  runningNodes(): PodNode[] {
    return this.model.visiblePods.filter((p) => p.state === 'running').map((p) => this.nodeFor(p));
  }

  private nodeFor(p: PodInfo): PodNode {
    const port = this.tunnelPort(p.id);
    const bundle = this.bundleFor(p);
    const n = this.nodes.get(p.id);
    if (n && n.pod === p && n.tunnelPort === port && n.bundle === bundle) return n;
    const fresh = new PodNode(p, port, Date.now(), bundle);
    this.nodes.set(p.id, fresh);
    return fresh;
  }
}
