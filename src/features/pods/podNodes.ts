import * as vscode from 'vscode';
import { costSoFar, formatDollars, formatUptime } from '../../core/pods/cost';
import { sshEndpoint } from '../../core/pods/endpoints';
import type { PodInfo } from '../../core/pods/types';
import { bundleRow, type HostBundleRecord } from '../../core/bundle/records';
import { commandIds } from '../../ids';
import { MessageNode } from '../tree/messageNode';
import { code, markdown, tooltip } from '../tree/tooltip';

export type PodsTreeNode = PodNode | PodFactNode | MessageNode;

const stateIcon: Record<PodInfo['state'], [string, string?]> = {
  running: ['vm-running', 'testing.iconPassed'],
  starting: ['loading~spin', 'charts.blue'],
  stopped: ['vm-outline'],
  error: ['error', 'errorForeground'],
  terminated: ['trash'],
};

export class PodNode {
  readonly kind = 'pod';
  constructor(
    readonly pod: PodInfo,
    readonly tunnelPort?: number,
    /** When `pod` was read from the provider: uptime and cost go on from there between polls. */
    readonly readAt = Date.now(),
    /** What the pod last received from Export Bundle (kept as `pod:<name>` in .airlock/bundles/). */
    readonly bundle?: HostBundleRecord,
  ) {}
  toTreeItem(): vscode.TreeItem {
    // The provider's uptime is as of the last poll; the row ticks every second while shown.
    const p =
      this.pod.state === 'running'
        ? { ...this.pod, uptimeSeconds: (this.pod.uptimeSeconds ?? 0) + Math.max(0, Math.floor((Date.now() - this.readAt) / 1000)) }
        : this.pod;
    const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `pod:${p.id}`;
    item.contextValue = `pod.${p.state}`;
    const [icon, colour] = stateIcon[p.state];
    item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
    const gpu = p.gpuName ? `${p.gpuCount}× ${p.gpuName}` : 'no GPU info';
    const parts = [p.state === 'running' ? undefined : p.providerStatus, gpu, `${formatDollars(p.costPerHour)}/hr`];
    if (p.state === 'running') parts.push(`up ${formatUptime(p.uptimeSeconds)}`, `${formatDollars(costSoFar(p))} so far`);
    if (this.tunnelPort) parts.push(`tunnel :${this.tunnelPort}`);
    item.description = parts.filter(Boolean).join(' · ');
    const meta = Object.entries(p.metadata);
    // Name, image and metadata are whatever the pod's creator (or another tool) set.
    item.tooltip = tooltip([
      markdown`**${p.name}** (${code(p.id)}) — ${p.providerStatus}${p.spot ? ' · spot' : ''}`,
      markdown`${gpu} · ${formatDollars(p.costPerHour)}/hr${p.state === 'running' ? ` · up ${formatUptime(p.uptimeSeconds)} · ${formatDollars(costSoFar(p))} so far` : ''}`,
      !!p.gpuUtilization?.length && markdown`GPU use: ${p.gpuUtilization.map((u) => `${u}%`).join(', ')}`,
      !!p.image && markdown`Image ${code(p.image)}`,
      meta.length > 0 && `Metadata: ${meta.map(([k, v]) => markdown`${code(`${k}=${v}`)}`).join(' ')}`,
      p.managedByAirlock ? '_Created by Airlock_' : '_Not created by Airlock_',
    ]);
    return item;
  }
  children(): PodsTreeNode[] {
    const p = this.pod;
    const out: PodsTreeNode[] = [];
    const ssh = sshEndpoint(p);
    if (ssh) out.push(new PodFactNode(`${p.id}:ssh`, 'SSH', `${ssh.user}@${ssh.host} -p ${ssh.port}`, 'terminal'));
    for (const port of p.ports.filter((x) => x.privatePort !== 22))
      out.push(
        new PodFactNode(
          `${p.id}:port:${port.privatePort}`,
          `Port ${port.privatePort}`,
          port.isPublic ? `${port.ip}:${port.publicPort}` : `${port.protocol} proxy`,
          'plug',
        ),
      );
    if (this.bundle) out.push(codeRow(p, this.bundle));
    if (p.gpuUtilization?.length) out.push(new PodFactNode(`${p.id}:gpu`, 'GPU use', p.gpuUtilization.map((u) => `${u}%`).join(', '), 'pulse'));
    for (const [k, v] of Object.entries(p.metadata)) out.push(new PodFactNode(`${p.id}:meta:${k}`, k, v, 'tag'));
    if (!out.length) out.push(new PodFactNode(`${p.id}:none`, p.state === 'starting' ? 'Starting…' : 'No ports mapped', p.providerStatus, 'info'));
    return out;
  }
}

/** "Code: code @ abc1234 · clean" (or "drifted: 3 files"); clicking it runs Show Drift on the pod. */
function codeRow(p: PodInfo, b: HostBundleRecord): PodFactNode {
  const row = bundleRow(b, 'Click');
  return new PodFactNode(`${p.id}:code`, 'Code', row.description, row.icon, {
    tooltip: row.tooltip,
    command: { title: 'Show Drift', command: commandIds.protocolShowDrift, arguments: [{ pod: p.id }] },
  });
}

export class PodFactNode {
  readonly kind = 'fact';
  constructor(
    readonly id: string,
    readonly label: string,
    readonly value: string,
    readonly icon: string,
    readonly extra: { tooltip?: string; command?: vscode.Command } = {},
  ) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = `podfact:${this.id}`;
    item.description = this.value;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.tooltip = this.extra.tooltip ?? `${this.label}: ${this.value}`;
    if (this.extra.command) item.command = this.extra.command;
    return item;
  }
  children(): PodsTreeNode[] {
    return [];
  }
}
