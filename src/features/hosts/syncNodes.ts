// A host's "Checkpoints" rows in the Hosts view: one per sync started there, with the latest
// checkpoint and where it is (local ✓ · Drive ✓ · HF ✗ uploading 43 %), the last sync per tier and
// errors that say what to do. Rows stay the same objects from read to read (a poll only changes
// their text), so a right-clicked row is never swapped out under its menu.
import * as vscode from 'vscode';
import { syncRows, syncSummaryRow, type SyncRow } from '../../core/sync/syncRows';
import { markdown, tooltip } from '../tree/tooltip';
import type { SyncModel, SyncRecord } from './syncModel';

export type SyncTreeNode = CheckpointsNode | SyncRowNode;

/** One sync (a watched directory on the host). Stop / Resume take this row. */
export class CheckpointsNode {
  readonly kind = 'checkpoints';
  rows: SyncRowNode[] = [];
  summary = syncSummaryRow('', undefined, false);
  constructor(
    readonly host: string,
    readonly dir: string,
  ) {}
  get id(): string {
    return `host:${this.host}:sync:${this.dir}`;
  }
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Checkpoints', vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = this.summary.description;
    item.contextValue = `checkpoints.${this.summary.state}`;
    item.iconPath = new vscode.ThemeIcon(
      this.summary.state === 'running' ? 'sync' : 'archive',
      this.summary.state === 'running' ? new vscode.ThemeColor('testing.iconPassed') : undefined,
    );
    item.tooltip = tooltip([markdown`${this.summary.tooltip}`]);
    item.accessibilityInformation = { label: `Checkpoints ${this.summary.description}` };
    return item;
  }
  children(): SyncTreeNode[] {
    return this.rows;
  }
}

export class SyncRowNode {
  readonly kind = 'syncRow';
  constructor(
    readonly parent: CheckpointsNode,
    public row: SyncRow,
  ) {}
  get id(): string {
    return `${this.parent.id}:${this.row.key}`;
  }
  toTreeItem(): vscode.TreeItem {
    const r = this.row;
    const item = new vscode.TreeItem(r.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = r.description;
    item.contextValue = `checkpoints.row.${r.severity ?? 'info'}`;
    item.iconPath = new vscode.ThemeIcon(
      r.icon,
      r.severity === 'error'
        ? new vscode.ThemeColor('errorForeground')
        : r.severity === 'warning'
          ? new vscode.ThemeColor('list.warningForeground')
          : undefined,
    );
    item.tooltip = tooltip([markdown`${r.tooltip}`]);
    item.accessibilityInformation = { label: `${r.label}: ${r.description}` };
    return item;
  }
  children(): SyncTreeNode[] {
    return [];
  }
}

/** The sync rows of one host, reused between reads. */
export class HostSyncRows {
  private nodes = new Map<string, CheckpointsNode>();
  private shape = '';
  private texts = new Map<string, string>();

  constructor(readonly host: string) {}

  roots(): CheckpointsNode[] {
    return [...this.nodes.values()];
  }

  /** Takes a fresh read: the rows whose text changed, or undefined when rows came or went. */
  update(records: SyncRecord[], model: SyncModel): SyncTreeNode[] | undefined {
    const next = new Map<string, CheckpointsNode>();
    for (const rec of records) {
      const node = this.nodes.get(rec.dir) ?? new CheckpointsNode(this.host, rec.dir);
      const v = model.view(this.host, rec.dir);
      node.summary = syncSummaryRow(rec.dir, v?.status, v?.loading ?? false);
      const byKey = new Map(node.rows.map((r) => [r.row.key, r]));
      node.rows = syncRows(v?.status).map((row) => {
        const old = byKey.get(row.key);
        if (old) return Object.assign(old, { row });
        return new SyncRowNode(node, row);
      });
      next.set(rec.dir, node);
    }
    this.nodes = next;
    const all: SyncTreeNode[] = [...next.values()].flatMap((n) => [n, ...n.rows]);
    const shape = all.map((n) => n.id).join('\n');
    const texts = new Map(all.map((n) => [n.id, JSON.stringify(n instanceof CheckpointsNode ? n.summary : n.row)]));
    const changed = all.filter((n) => this.texts.get(n.id) !== texts.get(n.id));
    const same = shape === this.shape;
    this.shape = shape;
    this.texts = texts;
    return same ? changed : undefined;
  }
}
