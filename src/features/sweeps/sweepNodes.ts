import * as vscode from 'vscode';
import { basename } from 'node:path';
import { commandIds } from '../../ids';
import { formatDuration } from '../../core/text/duration';
import type { CaseView, RoleView, SweepRun } from '../../core/sweep/sweepRun';
import { code, markdown, tooltip } from '../tree/tooltip';

export type SweepsTreeNode = RunNode | CaseNode | RoleNode | FileNode;

const caseIcon: Record<string, [string, string?]> = {
  pending: ['circle-large-outline'],
  starting: ['loading~spin', 'charts.blue'],
  running: ['sync~spin', 'charts.blue'],
  collecting: ['cloud-download', 'charts.blue'],
  done: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'errorForeground'],
};
const icon = ([id, colour]: [string, string?]) => new vscode.ThemeIcon(id, colour ? new vscode.ThemeColor(colour) : undefined);
const elapsed = (from?: number, to?: number) => (from ? formatDuration((to ?? Date.now()) - from) : '');

export class RunNode {
  readonly kind = 'run';
  constructor(readonly run: SweepRun) {}
  toTreeItem(): vscode.TreeItem {
    const r = this.run;
    const p = r.progress;
    const item = new vscode.TreeItem(`${r.runTag || 'sweep'} · ${basename(r.configPath)}`, vscode.TreeItemCollapsibleState.Expanded);
    item.id = r.id;
    item.contextValue = `sweepRun.${r.state}`;
    // A dry run that ended is not a finished sweep: nothing ran, so it never shows the done check.
    const planned = r.dryRun && r.state === 'done';
    item.iconPath = icon(
      r.state === 'running'
        ? caseIcon.running!
        : planned
          ? ['beaker']
          : r.state === 'done'
            ? caseIcon.done!
            : r.state === 'cancelled'
              ? ['circle-slash']
              : caseIcon.failed!,
    );
    const state = planned ? 'nothing ran' : r.state;
    item.description = `${r.dryRun ? 'dry run · ' : ''}${r.mode} · ${p.done}/${p.total} cases${planned ? ' planned' : ''} · ${r.state === 'running' ? (p.current ? `${p.current.name} · ` : '') : `${state} · `}${elapsed(r.startedAt, r.endedAt)}`;
    item.tooltip = tooltip([
      markdown`**Sweep ${r.runTag}** (${r.mode})`,
      markdown`Config: ${code(r.configPath)}`,
      markdown`Collected into ${code(r.localRoot)}`,
      !!r.error && markdown`**Error:** ${r.error}`,
    ]);
    return item;
  }
  children(): SweepsTreeNode[] {
    return [...this.run.cases.map((c) => new CaseNode(this.run, c)), ...this.run.matrixFiles().map((f) => new FileNode(this.run, f))];
  }
}

export class CaseNode {
  readonly kind = 'case';
  constructor(
    readonly run: SweepRun,
    readonly c: CaseView,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const c = this.c;
    const active = c.state === 'starting' || c.state === 'running' || c.state === 'collecting';
    const item = new vscode.TreeItem(
      c.index < 0 ? `shared (${c.roles.map((r) => r.role).join(', ')})` : `${String(c.index).padStart(3, '0')} ${c.name}`,
      active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    // A case opens when it starts: a new id, because the tree keeps the collapsed state per id.
    item.id = `${this.run.id}:case:${c.index}:${active ? 'active' : 'idle'}`;
    const planned = this.run.dryRun && c.state === 'done';
    // `.importable`: a collected case (not the shared roles, not a dry run) — Import Run.
    item.contextValue = `sweepCase.${c.state}${c.state === 'done' && !planned && c.index >= 0 ? '.importable' : ''}`;
    item.iconPath = icon(planned ? ['beaker'] : (caseIcon[c.state] ?? ['circle-large-outline']));
    item.description = [planned ? 'planned (dry run)' : c.state, elapsed(c.startedAt, c.endedAt), c.reason].filter(Boolean).join(' · ');
    item.tooltip = tooltip([markdown`${code(c.tag)}: ${c.state}${c.reason ? ` — ${c.reason}` : ''}`]);
    item.accessibilityInformation = { label: `${item.label} ${item.description}` };
    return item;
  }
  children(): SweepsTreeNode[] {
    return this.c.roles.map((r) => new RoleNode(this.run, this.c, r));
  }
}

export class RoleNode {
  readonly kind = 'role';
  constructor(
    readonly run: SweepRun,
    readonly c: CaseView,
    readonly r: RoleView,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const r = this.r;
    const item = new vscode.TreeItem(r.role, vscode.TreeItemCollapsibleState.None);
    item.id = `${this.run.id}:case:${this.c.index}:role:${r.role}:${this.c.state}`;
    item.contextValue = `sweepRole.${r.state}`;
    const running = r.state === 'running' || r.state === 'starting';
    item.iconPath = new vscode.ThemeIcon(
      running ? 'sync~spin' : r.state === 'failed' ? 'error' : r.state === 'pending' ? 'circle-large-outline' : 'circle-filled',
      running ? new vscode.ThemeColor('charts.blue') : r.state === 'failed' ? new vscode.ThemeColor('errorForeground') : undefined,
    );
    item.description = [r.host, r.pid ? `pid ${r.pid}` : '', r.state, elapsed(r.startedAt, r.endedAt), r.reason].filter(Boolean).join(' · ');
    if (r.streamId) item.command = { title: 'Show Log', command: commandIds.logsShow, arguments: [r.streamId] };
    item.tooltip = tooltip([
      markdown`**${r.role}** on ${r.host}${r.pid ? ` (process group ${r.pid})` : ''}: ${r.state}${r.streamId ? ' — click to show its live log' : ''}`,
    ]);
    item.accessibilityInformation = { label: `${r.role} ${item.description}` };
    return item;
  }
  children(): SweepsTreeNode[] {
    return [];
  }
}

export class FileNode {
  readonly kind = 'file';
  constructor(
    readonly run: SweepRun,
    readonly path: string,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(basename(this.path), vscode.TreeItemCollapsibleState.None);
    item.id = `${this.run.id}:file:${this.path}`;
    item.contextValue = 'sweepMatrix';
    item.iconPath = new vscode.ThemeIcon('graph-scatter');
    item.description = 'open in the Matrix panel';
    item.command = { title: 'Open Matrix', command: commandIds.matrixOpen, arguments: [vscode.Uri.file(this.path)] };
    return item;
  }
  children(): SweepsTreeNode[] {
    return [];
  }
}
