import * as vscode from 'vscode';
import { commandIds } from '../../ids';
import { formatDuration } from '../../core/text/duration';
import type { EntryState, EntryStatus, PhaseStatus } from '../../core/phases/status';
import { MessageNode } from '../tree/messageNode';
import { markdown, tooltip } from '../tree/tooltip';
import type { WorkerHandle } from '../../core/phases/workerLaunch';

export type PhasesTreeNode = PhaseNode | GroupNode | EntryNode | WorkersNode | WorkerNode | MessageNode;

const stateOrder: EntryState[] = ['running', 'claimed', 'stale', 'failed', 'todo', 'done'];
const stateLabel: Record<EntryState, string> = { running: 'Running', claimed: 'Claimed', stale: 'Stale claims', failed: 'Failed', todo: 'To do', done: 'Done' };
const stateIcon: Record<EntryState, [string, string?]> = {
  running: ['sync~spin', 'charts.blue'],
  claimed: ['lock', 'charts.blue'],
  stale: ['warning', 'list.warningForeground'],
  failed: ['error', 'errorForeground'],
  todo: ['circle-large-outline'],
  done: ['pass-filled', 'testing.iconPassed'],
};
const icon = (s: EntryState) => new vscode.ThemeIcon(stateIcon[s][0], stateIcon[s][1] ? new vscode.ThemeColor(stateIcon[s][1]!) : undefined);
/** Entries shown per group; the rest are summarised (a phase can have thousands). */
const maxEntriesShown = 300;

function progressBar(done: number, total: number, width = 10): string {
  const filled = total ? Math.round((done / total) * width) : 0;
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}

export class PhaseNode {
  readonly kind = 'phase';
  constructor(
    readonly status: PhaseStatus,
    readonly now: number,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const s = this.status;
    const c = s.counts;
    const item = new vscode.TreeItem(s.phase, vscode.TreeItemCollapsibleState.Expanded);
    // A new id once generated, so the node opens expanded instead of keeping its leaf state.
    item.id = `phase:${s.phase}:${s.generated ? 'generated' : 'new'}`;
    item.contextValue = 'phase';
    if (!s.generated) {
      item.description = 'not generated — run Generate';
      item.iconPath = new vscode.ThemeIcon('circle-slash');
      item.collapsibleState = vscode.TreeItemCollapsibleState.None;
      return item;
    }
    const extras = [
      c.running + c.claimed ? `${c.running + c.claimed} running` : '',
      c.stale ? `${c.stale} stale` : '',
      c.failed ? `${c.failed} failed` : '',
    ].filter(Boolean);
    item.description = `${progressBar(c.done, s.total)} ${c.done}/${s.total}${extras.length ? ` · ${extras.join(' · ')}` : ''}`;
    item.iconPath = c.done === s.total ? icon('done') : c.running + c.claimed ? icon('running') : c.stale || c.failed ? icon('stale') : icon('todo');
    item.tooltip = tooltip([
      markdown`**${s.phase}** — ${c.done} of ${s.total} done`,
      `| state | entries |\n|---|---:|\n${stateOrder.map((st) => markdown`| ${stateLabel[st]} | ${c[st]} |`).join('\n')}`,
    ]);
    return item;
  }
  children(): PhasesTreeNode[] {
    if (!this.status.generated) return [];
    return stateOrder
      .filter((st) => this.status.counts[st] > 0)
      .map(
        (st) =>
          new GroupNode(
            this.status.phase,
            st,
            this.status.entries.filter((e) => e.state === st),
            this.now,
          ),
      );
  }
}

export class GroupNode {
  readonly kind = 'group';
  constructor(
    readonly phase: string,
    readonly state: EntryState,
    readonly entries: EntryStatus[],
    readonly now: number,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const open = this.state === 'running' || this.state === 'claimed' || this.state === 'stale' || this.state === 'failed';
    const item = new vscode.TreeItem(
      `${stateLabel[this.state]} (${this.entries.length})`,
      open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = `phase:${this.phase}:${this.state}`;
    item.contextValue = `phaseGroup.${this.state}`;
    item.iconPath = icon(this.state);
    return item;
  }
  children(): PhasesTreeNode[] {
    const shown = this.entries.slice(0, maxEntriesShown).map((e) => new EntryNode(this.phase, e, this.now));
    const more = this.entries.length - shown.length;
    return more > 0 ? [...shown, new MessageNode(`phase:${this.phase}:${this.state}:more`, `… ${more} more (airlock phases status --entries)`, 'info')] : shown;
  }
}

export class EntryNode {
  readonly kind = 'entry';
  constructor(
    readonly phase: string,
    readonly status: EntryStatus,
    readonly now: number,
  ) {}
  get entry(): string {
    return this.status.entry;
  }
  toTreeItem(): vscode.TreeItem {
    const { entry, state, claim, failure } = this.status;
    const item = new vscode.TreeItem(entry, vscode.TreeItemCollapsibleState.None);
    item.id = `phase:${this.phase}:entry:${entry}`;
    item.contextValue = `phaseEntry.${state}`;
    item.iconPath = icon(state);
    // The claim's host and the failure reason are written into the shared queue by other machines.
    const parts = [markdown`**${entry}** · ${stateLabel[state].toLowerCase()}`];
    if (claim) {
      const held = formatDuration(this.now - Date.parse(claim.claimedAt));
      const lease = Date.parse(claim.leaseUntil) - this.now;
      item.description = state === 'stale' ? `stale · ${claim.host} · lease expired ${formatDuration(-lease)} ago` : `${claim.host} · ${held}`;
      parts.push(markdown`Claimed by **${claim.host}** (pid ${claim.pid}) at ${claim.claimedAt}, ${held} ago.`);
      parts.push(
        lease > 0
          ? markdown`Lease valid for ${formatDuration(lease)} more.`
          : markdown`Lease **expired** ${formatDuration(-lease)} ago — another worker may take it over, or use *Release Stale Claims*.`,
      );
      if (claim.takeoverFrom) parts.push(markdown`Taken over from ${claim.takeoverFrom}.`);
      if (claim.legacy) parts.push('A claim written by the original tool (no lease).');
    }
    if (failure) {
      item.description = `${failure.host} · ${failure.reason}`;
      parts.push(markdown`Failed on **${failure.host}**: ${failure.reason}${failure.failedAt ? ` (${failure.failedAt})` : ''}`);
    }
    item.tooltip = tooltip(parts);
    if (state === 'done') item.command = { title: 'Open Result', command: commandIds.phasesOpenResult, arguments: [this] };
    if (state === 'failed') item.command = { title: 'Open Entry Log', command: commandIds.phasesOpenLog, arguments: [this] };
    return item;
  }
  children(): PhasesTreeNode[] {
    return [];
  }
}

export class WorkersNode {
  readonly kind = 'workers';
  constructor(readonly workers: WorkerHandle[]) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Workers started here (${this.workers.length})`, vscode.TreeItemCollapsibleState.Expanded);
    item.id = 'phase-workers';
    item.iconPath = new vscode.ThemeIcon('server-process');
    return item;
  }
  children(): PhasesTreeNode[] {
    return this.workers.map((w) => new WorkerNode(w));
  }
}

export class WorkerNode {
  readonly kind = 'worker';
  constructor(readonly worker: WorkerHandle) {}
  toTreeItem(): vscode.TreeItem {
    const w = this.worker;
    const item = new vscode.TreeItem(`${w.name} on ${w.where}`, vscode.TreeItemCollapsibleState.None);
    item.id = `phase-worker:${w.id}`;
    item.contextValue = 'phaseWorker';
    item.iconPath = new vscode.ThemeIcon('sync~spin');
    item.description = `${w.lastLine ?? 'starting…'} · ${formatDuration(Date.now() - w.startedAt)}`;
    item.tooltip = `Worker "${w.name}" on ${w.where}, started ${new Date(w.startedAt).toLocaleTimeString()}. Stop releases its claim.`;
    item.command = { title: 'Show Logs', command: commandIds.logsShow, arguments: [w.streamId] };
    return item;
  }
  children(): PhasesTreeNode[] {
    return [];
  }
}
