import * as vscode from 'vscode';
import type { HostFacts, HostSpec, GpuInfo } from '../../core/hosts/types';
import { formatDuration } from '../../core/text/duration';
import { MessageNode } from '../tree/messageNode';
import { bundleRow, type HostBundleRecord } from '../../core/bundle/records';
import { code, markdown, tooltip } from '../tree/tooltip';
import type { ClusterTree, ClusterTreeNode } from '../slurm/clusterNodes';
import type { SlurmJupyterNode } from '../slurm/slurmJupyterNodes';
import { hostCostLabel, idleWarnMinutesOf, type HostIdleStatus } from '../../core/hosts/hostIdle';
import type { CheckpointsNode, SyncTreeNode } from './syncNodes';

export interface HostView {
  spec: HostSpec;
  facts?: HostFacts;
  probing: boolean;
  tierLabel?: string;
  diskWarnPercent: number;
  bundle?: HostBundleRecord;
  /** Set for a Slurm login node: the rows of its partitions and my jobs. */
  cluster?: ClusterTree;
  /** Jupyter servers this window started on the cluster's compute nodes. */
  jupyter?: SlurmJupyterNode[];
  /** A priced host's idle state (hosts.json pricePerHour / stopCommand). */
  idle?: HostIdleStatus;
  /** The checkpoint syncs started on this host (Start Checkpoint Sync on Host…). */
  syncs?: CheckpointsNode[];
}

export type HostsTreeNode = HostNode | FactNode | ClusterTreeNode | SyncTreeNode | SlurmJupyterNode;

const gib = (bytes: number) => bytes / 1024 ** 3;
const fmtGiB = (bytes: number) => `${gib(bytes) >= 100 ? gib(bytes).toFixed(0) : gib(bytes).toFixed(1)} GiB`;
const fmtVram = (mib: number) => `${(mib / 1024).toFixed(mib >= 10240 ? 0 : 1)} GB`;

const ago = (ms: number) => `${formatDuration(Date.now() - ms)} ago`;

function gpuSummary(gpus: GpuInfo[]): string {
  if (!gpus.length) return 'no GPU';
  const byName = new Map<string, GpuInfo[]>();
  for (const g of gpus) byName.set(g.name, [...(byName.get(g.name) ?? []), g]);
  return [...byName.entries()].map(([name, gs]) => `${gs.length}× ${name.replace(/^NVIDIA /, '')} ${fmtVram(gs[0]!.memoryTotalMiB)}`).join(', ');
}

function hostAddress(spec: HostSpec): string {
  if (spec.kind === 'local') return 'this machine';
  const user = spec.user ? `${spec.user}@` : '';
  const port = spec.port && spec.port !== 22 ? `:${spec.port}` : '';
  return `${user}${spec.hostName ?? spec.name}${port}${spec.proxyJump ? ` via ${spec.proxyJump}` : ''}`;
}

/** A host: its state in the icon and description, the facts a user wants in the tooltip and children. */
export class HostNode {
  readonly kind = 'host';
  constructor(readonly view: HostView) {}

  get name(): string {
    return this.view.spec.name;
  }

  diskIsFull(): boolean {
    const f = this.view.facts;
    return !!(f?.reachable && f.disk && f.disk.usedPct >= this.view.diskWarnPercent);
  }

  toTreeItem(): vscode.TreeItem {
    const { spec, facts, probing } = this.view;
    const item = new vscode.TreeItem(spec.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `host:${spec.name}`;
    const kind = spec.kind === 'local' ? 'local' : 'ssh';
    const state = probing && !facts ? 'probing' : facts?.reachable ? 'reachable' : facts ? 'unreachable' : 'unknown';
    // `.stoppable`: the host has a stopCommand (Stop Host).
    item.contextValue = `host.${kind}.${state}${this.view.cluster ? '.slurm' : ''}${spec.stopCommand ? '.stoppable' : ''}`;
    if (probing && !facts) {
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.description = 'probing…';
    } else if (!facts) {
      item.iconPath = new vscode.ThemeIcon('vm-outline');
      item.description = hostAddress(spec);
    } else if (!facts.reachable) {
      item.iconPath = new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('errorForeground'));
      item.description = `unreachable — ${facts.reason}`;
    } else {
      const warn = this.diskIsFull();
      item.iconPath = new vscode.ThemeIcon(
        spec.kind === 'local' ? 'device-desktop' : 'vm-running',
        new vscode.ThemeColor(warn ? 'list.warningForeground' : 'testing.iconPassed'),
      );
      // A login node's own GPUs (usually none) say nothing about the cluster's.
      const parts = [this.view.cluster ? 'Slurm cluster' : gpuSummary(facts.gpus)];
      if (facts.disk) parts.push(`${fmtGiB(facts.disk.availBytes)} free${warn ? ' ⚠' : ''}`);
      if (this.view.tierLabel) parts.push(this.view.tierLabel);
      const cost = spec.pricePerHour !== undefined || this.view.idle ? hostCostLabel(spec, this.view.idle) : '';
      if (cost) parts.push(cost);
      item.description = parts.join(' · ');
    }
    item.tooltip = this.tooltip();
    return item;
  }

  private tooltip(): vscode.MarkdownString {
    const { spec, facts } = this.view;
    const source = spec.source === 'builtin' ? 'built-in' : spec.source === 'ssh-config' ? '~/.ssh/config' : '.airlock/hosts.json';
    const head = [markdown`**${spec.name}** — ${hostAddress(spec)}`, markdown`Source: ${source}${spec.origin ? ` (line ${spec.origin.line})` : ''}`];
    if (!facts) return tooltip(head);
    const l = this.view.tierLabel;
    const d = facts.reachable ? facts.disk : undefined;
    // The hostname, the unreachable reason and the GPU names come from the machine itself.
    return tooltip(
      [
        ...head,
        !facts.reachable && `$(error) ${markdown`Unreachable: ${facts.reason}`}`,
        facts.reachable && markdown`Hostname: ${code(facts.hostname)}`,
        facts.reachable && l && markdown`Tier: ${l}`,
        facts.reachable && markdown`GPUs: ${gpuSummary(facts.gpus)}`,
        facts.reachable && d && markdown`Disk (${d.path}): ${fmtGiB(d.availBytes)} free of ${fmtGiB(d.totalBytes)} (${d.usedPct}% used)`,
        facts.reachable && !!facts.load && markdown`Load: ${facts.load.map((x) => x.toFixed(2)).join(' ')}${facts.cpus ? ` on ${facts.cpus} CPUs` : ''}`,
        this.costLine(),
        `_${markdown`Probed ${ago(facts.probedAt)}`}_`,
      ],
      { themeIcons: true },
    );
  }

  /** "Cost: $1.200/hr · idle 12 min (warns at 30) · Stop Host runs `gcloud …` here". */
  private costLine(): string | false {
    const { spec, idle } = this.view;
    if (spec.pricePerHour === undefined && !spec.stopCommand) return false;
    const state = idle ? (idle.idle ? `idle ${Math.round(idle.idleMinutes ?? 0)} min` : `busy (${idle.why})`) : 'not probed';
    const stop = spec.stopCommand ? markdown` · Stop Host runs ${code(spec.stopCommand)} on this machine` : '';
    return markdown`Cost: ${hostCostLabel(spec, undefined) || 'no price'} · ${state} (warns after ${idleWarnMinutesOf(spec)} min idle)` + stop;
  }

  children(): HostsTreeNode[] {
    const id = (k: string) => `host:${this.name}:${k}`;
    const code = this.codeNode(id('code'));
    const cluster = this.view.cluster && this.view.facts?.reachable !== false ? this.view.cluster.roots() : [];
    return [...(code ? [code] : []), ...(this.view.syncs ?? []), ...(this.view.cluster ? (this.view.jupyter ?? []) : []), ...cluster, ...this.factChildren(id)];
  }

  /** "code @ abc1234 · clean" / "drifted: 3 files" for a host that received a bundle (Show Drift re-checks it). */
  private codeNode(id: string): FactNode | undefined {
    const b = this.view.bundle;
    if (!b) return undefined;
    const row = bundleRow(b, 'Run "Airlock: Show Drift"');
    return new FactNode(id, 'Code', row.description, row.icon, row.tooltip);
  }

  private factChildren(id: (k: string) => string): HostsTreeNode[] {
    const { facts } = this.view;
    if (!facts) return [new MessageNode(id('pending'), 'Not probed yet — refresh to probe', 'info')];
    if (!facts.reachable) return [new MessageNode(id('reason'), facts.reason, 'error')];
    const nodes: HostsTreeNode[] = [];
    if (this.view.tierLabel) nodes.push(new FactNode(id('tier'), 'Tier', this.view.tierLabel, 'layers'));
    if (!facts.gpus.length) nodes.push(new FactNode(id('gpu'), 'GPU', facts.gpuError ?? 'none', 'circle-slash'));
    facts.gpus.forEach((g, i) =>
      nodes.push(
        new FactNode(
          id(`gpu${i}`),
          `GPU ${i}`,
          `${g.name} · ${fmtVram(g.memoryUsedMiB)} / ${fmtVram(g.memoryTotalMiB)} · ${g.utilizationPct}% busy`,
          'circuit-board',
        ),
      ),
    );
    if (facts.disk) {
      const warn = this.diskIsFull();
      nodes.push(
        new FactNode(
          id('disk'),
          'Disk',
          `${fmtGiB(facts.disk.availBytes)} free of ${fmtGiB(facts.disk.totalBytes)} (${facts.disk.usedPct}% used) · ${facts.disk.path}`,
          warn ? 'warning' : 'database',
          warn ? `Disk is ${facts.disk.usedPct}% full — a full disk can brick a VM. Delete old checkpoints and logs.` : undefined,
        ),
      );
    }
    if (facts.load)
      nodes.push(new FactNode(id('load'), 'Load', `${facts.load.map((l) => l.toFixed(2)).join(' ')}${facts.cpus ? ` · ${facts.cpus} CPUs` : ''}`, 'pulse'));
    nodes.push(new FactNode(id('hostname'), 'Hostname', facts.hostname, 'server'));
    return nodes;
  }
}

/** One fact under a host (a GPU, the disk, the load). */
export class FactNode {
  readonly kind = 'fact';
  constructor(
    readonly id: string,
    readonly label: string,
    readonly value: string,
    readonly icon: string,
    readonly warning?: string,
  ) {}
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.value;
    item.iconPath = new vscode.ThemeIcon(this.icon, this.warning ? new vscode.ThemeColor('list.warningForeground') : undefined);
    item.tooltip = this.warning ?? `${this.label}: ${this.value}`;
    item.contextValue = 'hostFact';
    return item;
  }
  children(): HostsTreeNode[] {
    return [];
  }
}
