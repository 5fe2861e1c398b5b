import * as vscode from 'vscode';
import { commandIds } from '../../ids';
import { HostNode, type HostsTreeNode } from './hostNodes';
import { MessageNode, openAtLine } from '../tree/messageNode';
import type { TreeRefresh } from '../tree/treeRefresh';
import type { HostsModel } from './hostsModel';
import type { ClusterModel } from '../slurm/clusterModel';
import { ClusterTree } from '../slurm/clusterNodes';
import type { SyncModel } from './syncModel';
import { HostSyncRows } from './syncNodes';
import type { SlurmJupyterSessions } from '../slurm/slurmJupyterSessions';
import { SlurmJupyterRows } from '../slurm/slurmJupyterNodes';

/** The Hosts view. Node objects are cached per host so a probe result refreshes just that row. */
export class HostsTreeProvider implements vscode.TreeDataProvider<HostsTreeNode>, vscode.Disposable {
  readonly onDidChangeTreeData: vscode.Event<HostsTreeNode | undefined>;
  private nodes = new Map<string, HostNode>();
  private readonly clusterTrees = new Map<string, ClusterTree>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly jupyterRows = new Map<string, SlurmJupyterRows>();

  constructor(
    private readonly model: HostsModel,
    private readonly diskWarnPercent: () => number,
    refresh: TreeRefresh<HostsTreeNode>,
    private readonly clusters: ClusterModel,
    private readonly syncs: SyncModel,
    private readonly jupyter?: SlurmJupyterSessions,
  ) {
    this.onDidChangeTreeData = refresh.onDidChangeTreeData;
    const changed = (name: string | undefined) => {
      const node = name ? this.nodes.get(name) : undefined;
      if (node) {
        this.update(node);
        refresh.changed(node);
      } else {
        refresh.changed();
      }
    };
    // A cluster read redraws the rows whose text changed, or the host's subtree when rows came or went.
    const clusterChanged = (name: string) => {
      const node = this.nodes.get(name);
      const tree = this.clusterTree(name);
      const rows = tree.update(clusters.view(name));
      if (!node) return refresh.changed();
      this.update(node);
      if (rows) {
        if (rows.length) refresh.changed(...rows);
      } else refresh.changed(node);
    };
    // A sync status read redraws its rows, or the host's subtree when rows came or went.
    const syncChanged = (name: string) => {
      const node = this.nodes.get(name);
      const rows = this.syncRows(name).update(syncs.records(name), syncs);
      if (!node) return refresh.changed();
      this.update(node);
      if (rows) {
        if (rows.length) refresh.changed(...rows);
      } else refresh.changed(node);
    };
    this.subscriptions = [model.onDidChange(changed), clusters.onDidChange(clusterChanged), syncs.onDidChange(syncChanged)];
    // A Jupyter server started, pending, running or stopped: the cluster's row and its children.
    if (jupyter) this.subscriptions.push(jupyter.onDidChange((name) => changed(name)));
  }

  private update(node: HostNode): void {
    const s = this.model.host(node.name);
    if (!s) return;
    Object.assign(node.view, {
      spec: s.spec,
      facts: s.facts,
      probing: s.probing,
      tierLabel: this.model.tierLabel(s.spec.name),
      bundle: this.model.bundle(s.spec.name),
      diskWarnPercent: this.diskWarnPercent(),
      cluster: this.clusters.isCluster(s.spec.name) ? this.clusterTree(s.spec.name) : undefined,
      jupyter: this.jupyterNodes(s.spec.name),
      idle: this.model.idle(s.spec.name),
      syncs: this.syncRows(s.spec.name).roots(),
    });
  }

  private readonly syncTrees = new Map<string, HostSyncRows>();
  private syncRows(name: string): HostSyncRows {
    let t = this.syncTrees.get(name);
    if (!t) {
      this.syncTrees.set(name, (t = new HostSyncRows(name)));
      t.update(this.syncs.records(name), this.syncs);
    }
    return t;
  }

  private jupyterNodes(name: string) {
    if (!this.jupyter) return undefined;
    let rows = this.jupyterRows.get(name);
    if (!rows) this.jupyterRows.set(name, (rows = new SlurmJupyterRows()));
    return rows.nodes(this.jupyter.list(name));
  }

  private clusterTree(name: string): ClusterTree {
    let t = this.clusterTrees.get(name);
    if (!t) {
      this.clusterTrees.set(name, (t = new ClusterTree(name)));
      t.update(this.clusters.view(name));
    }
    return t;
  }

  getTreeItem(node: HostsTreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getChildren(node?: HostsTreeNode): HostsTreeNode[] {
    // An expanded cluster is read now and polled from then on.
    if (node instanceof HostNode && node.view.cluster) this.clusters.watch(node.name);
    // Its syncs likewise: read when the host is expanded, polled while the view is visible.
    if (node instanceof HostNode) this.syncs.watch(node.name);
    if (node) return node.children();
    if (!this.model.isLoaded) return [];
    const roots: HostsTreeNode[] = [];
    if (this.model.error) {
      roots.push(new MessageNode('hosts:error', `Could not load hosts: ${this.model.error}`, 'error', { title: 'Refresh', command: commandIds.hostsRefresh }));
    }
    for (const p of this.model.configProblems) {
      roots.push(new MessageNode(`hosts:problem:${p.file}:${p.line}:${p.message}`, `${p.file}:${p.line}: ${p.message}`, 'error', openAtLine(p.file, p.line)));
    }
    const next = new Map<string, HostNode>();
    for (const s of this.model.hosts) {
      const node = this.nodes.get(s.spec.name) ?? new HostNode({ spec: s.spec, probing: s.probing, diskWarnPercent: this.diskWarnPercent() });
      next.set(s.spec.name, node);
      this.update(node);
      roots.push(node);
    }
    this.nodes = next;
    return roots;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
