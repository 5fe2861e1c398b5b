// A cluster host's rows in the Hosts view: its partitions (nodes idle/alloc/down, GPUs free of
// total from GRES) and my jobs (arrays grouped, with state, partition, node, GPUs, elapsed / limit
// and the pending reason). Everything shown comes from sinfo and squeue on the login node.
import * as vscode from 'vscode';
import { groupJobs, isFinished, type JobGroup, type SlurmJob, type SlurmPartition } from '../../core/slurm/slurmParse';
import { MessageNode } from '../tree/messageNode';
import { code, markdown, tooltip } from '../tree/tooltip';
import type { ClusterView } from './clusterModel';

export type ClusterTreeNode = ClusterSectionNode | PartitionNode | JobGroupNode | JobNode | MessageNode;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Whether a job is held (scontrol hold): pending with a Held reason. */
export const jobIsHeld = (j: SlurmJob) => j.state === 'PENDING' && /Held/i.test(j.reason ?? '');

/** `slurmJob.running`, `slurmJob.pending.held`, `slurmJob.finished`: what the menus key on. */
function jobContext(j: SlurmJob): string {
  if (isFinished(j.state)) return 'slurmJob.finished';
  if (j.state === 'PENDING') return jobIsHeld(j) ? 'slurmJob.pending.held' : 'slurmJob.pending';
  return `slurmJob.${j.state === 'RUNNING' ? 'running' : 'active'}`;
}

function jobCounts(jobs: SlurmJob[]): string {
  const by = new Map<string, number>();
  for (const j of jobs) {
    const k = jobIsHeld(j) ? 'held' : j.state.toLowerCase();
    by.set(k, (by.get(k) ?? 0) + 1);
  }
  const order = ['running', 'pending', 'held', 'completing'];
  return [...by.entries()]
    .sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
    .map(([k, n]) => `${n} ${k}`)
    .join(' · ');
}

/**
 * The rows under one cluster host, kept as the same objects from read to read: a poll that only
 * changes what rows say (a job's elapsed time, its state) redraws those rows alone, so a row being
 * right-clicked is never swapped out under the menu (its command would get no row). Rows added or
 * removed redraw the host's subtree.
 */
export class ClusterTree {
  private nodes = new Map<string, ClusterTreeNode>();
  private kids = new Map<string, ClusterTreeNode[]>();
  private rootNodes: ClusterTreeNode[] = [];
  private shape = '';
  private rows = new Map<string, string>();

  constructor(readonly host: string) {}

  roots(): ClusterTreeNode[] {
    return this.rootNodes;
  }

  childrenOf(id: string): ClusterTreeNode[] {
    return this.kids.get(id) ?? [];
  }

  /** Takes a fresh read: the rows whose text changed, or undefined when rows came or went. */
  update(view: ClusterView | undefined): ClusterTreeNode[] | undefined {
    const seen = new Map<string, ClusterTreeNode>();
    const kids = new Map<string, ClusterTreeNode[]>();
    const keep = (fresh: ClusterTreeNode): ClusterTreeNode => {
      const id = nodeId(fresh);
      const old = this.nodes.get(id);
      const node = old && old.constructor === fresh.constructor ? Object.assign(old, fresh) : fresh;
      seen.set(id, node);
      return node;
    };
    const walk = (list: ClusterTreeNode[]): ClusterTreeNode[] =>
      list.map((n) => {
        const node = keep(n);
        kids.set(nodeId(node), walk(freshChildren(this, node)));
        return node;
      });
    const roots = walk(clusterRoots(this, view));
    const shape = JSON.stringify([roots.map(nodeId), [...kids].map(([k, v]) => [k, v.map(nodeId)])]);
    const rows = new Map([...seen].map(([id, n]) => [id, rowKey(n)]));
    const changed = [...seen].filter(([id]) => this.rows.get(id) !== rows.get(id)).map(([, n]) => n);
    const same = shape === this.shape;
    Object.assign(this, { nodes: seen, kids, rootNodes: roots, shape, rows });
    return same ? changed : undefined;
  }
}

const nodeId = (n: ClusterTreeNode): string => n.toTreeItem().id ?? '';

function rowKey(n: ClusterTreeNode): string {
  const t = n.toTreeItem();
  const icon = t.iconPath instanceof vscode.ThemeIcon ? t.iconPath.id : '';
  return JSON.stringify([t.label, t.description, t.contextValue, icon, t.collapsibleState]);
}

function freshChildren(tree: ClusterTree, n: ClusterTreeNode): ClusterTreeNode[] {
  return n instanceof ClusterSectionNode || n instanceof PartitionNode || n instanceof JobGroupNode ? n.build(tree) : [];
}

/** The "Partitions" and "My Jobs" rows under a cluster host (or why there are none yet). */
function clusterRoots(tree: ClusterTree, view: ClusterView | undefined): ClusterTreeNode[] {
  const host = tree.host;
  const id = (k: string) => `cluster:${host}:${k}`;
  if (!view || (view.loading && !view.readAt)) return [new MessageNode(id('loading'), 'Reading the cluster (sinfo, squeue)…', 'info')];
  const out: ClusterTreeNode[] = [];
  if (view.error)
    out.push(new MessageNode(id('error'), `Slurm: ${view.error}`, 'error', { title: 'Refresh', command: 'airlock.slurm.refresh', arguments: [host] }));
  if (view.state) out.push(new ClusterSectionNode(tree, 'partitions', view));
  if (view.jobs) out.push(new ClusterSectionNode(tree, 'jobs', view));
  return out;
}

export class ClusterSectionNode {
  readonly kind = 'clusterSection';
  readonly host: string;
  constructor(
    readonly tree: ClusterTree,
    readonly section: 'partitions' | 'jobs',
    readonly view: ClusterView,
  ) {
    this.host = tree.host;
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.section === 'partitions' ? 'Partitions' : 'My Jobs', vscode.TreeItemCollapsibleState.Expanded);
    item.id = `cluster:${this.host}:${this.section}`;
    item.contextValue = `slurm.${this.section}`;
    if (this.section === 'partitions') {
      const parts = this.view.state?.partitions ?? [];
      const total = parts.reduce((a, p) => a + p.gpusTotal, 0);
      const used = parts.reduce((a, p) => a + p.gpusUsed, 0);
      item.iconPath = new vscode.ThemeIcon('server-process');
      item.description = [plural(parts.length, 'partition'), total ? `${total - used}/${total} GPUs free` : 'no GPUs'].join(' · ');
    } else {
      const jobs = this.view.jobs ?? [];
      const active = jobs.filter((j) => !isFinished(j.state));
      item.iconPath = new vscode.ThemeIcon('list-ordered');
      item.description = active.length ? jobCounts(active) : jobs.length ? 'none active' : 'none';
      item.tooltip = 'Your jobs from squeue (--me), with the ones that ended in the last few minutes. Refreshed while the view is visible.';
    }
    item.accessibilityInformation = { label: `${item.label as string} ${item.description as string}` };
    return item;
  }

  children(): ClusterTreeNode[] {
    return this.tree.childrenOf(`cluster:${this.host}:${this.section}`);
  }

  build(tree: ClusterTree): ClusterTreeNode[] {
    if (this.section === 'partitions') {
      const st = this.view.state!;
      return st.partitions.map((p) => new PartitionNode(tree, p, p.name === st.defaultPartition));
    }
    const groups = groupJobs(this.view.jobs ?? []);
    if (!groups.length) return [new MessageNode(`cluster:${this.host}:nojobs`, 'No jobs of yours — Submit Phase Workers to Slurm… starts some', 'info')];
    return groups.map((g) => (g.jobs.length === 1 && g.jobs[0]!.arrayTaskId === undefined ? new JobNode(this.host, g.jobs[0]!) : new JobGroupNode(tree, g)));
  }
}

export class PartitionNode {
  readonly kind = 'partition';
  readonly host: string;
  constructor(
    readonly tree: ClusterTree,
    readonly partition: SlurmPartition,
    readonly isDefault: boolean,
  ) {
    this.host = tree.host;
  }

  toTreeItem(): vscode.TreeItem {
    const p = this.partition;
    const item = new vscode.TreeItem(p.name, p.unavailable.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `cluster:${this.host}:partition:${p.name}`;
    item.contextValue = 'slurm.partition';
    const down = p.nodes.down + p.nodes.drain;
    item.iconPath = new vscode.ThemeIcon(down ? 'warning' : 'layers', down ? new vscode.ThemeColor('list.warningForeground') : undefined);
    const nodes = [
      p.nodes.idle && `${p.nodes.idle} idle`,
      p.nodes.mixed && `${p.nodes.mixed} mixed`,
      p.nodes.allocated && `${p.nodes.allocated} alloc`,
      down && `${down} down`,
    ].filter(Boolean);
    item.description = [
      this.isDefault ? 'default' : '',
      `${plural(p.nodeCount, 'node')}${nodes.length ? `: ${nodes.join(', ')}` : ''}`,
      p.gpusTotal ? `GPUs ${p.gpusTotal - p.gpusUsed}/${p.gpusTotal} free` : 'no GPUs',
      `CPUs ${p.cpusAlloc}/${p.cpusTotal} busy`,
    ]
      .filter(Boolean)
      .join(' · ');
    item.tooltip = tooltip([
      markdown`**${p.name}**${this.isDefault ? ' (default partition)' : ''}`,
      markdown`${item.description}`,
      ...p.unavailable.map((u) => markdown`${code(u.node)} ${u.state}${u.reason ? `: ${u.reason}` : ''}`),
    ]);
    item.accessibilityInformation = { label: `${item.label as string} ${item.description as string}` };
    return item;
  }

  children(): ClusterTreeNode[] {
    return this.tree.childrenOf(`cluster:${this.host}:partition:${this.partition.name}`);
  }

  build(): ClusterTreeNode[] {
    return this.partition.unavailable.map(
      (u) =>
        new MessageNode(
          `cluster:${this.host}:partition:${this.partition.name}:${u.node}`,
          `${u.node} ${u.state}${u.reason ? ` — ${u.reason}` : ''}`,
          'warning',
        ),
    );
  }
}

export class JobGroupNode {
  readonly kind = 'jobGroup';
  readonly host: string;
  constructor(
    readonly tree: ClusterTree,
    readonly group: JobGroup,
  ) {
    this.host = tree.host;
  }

  /** What scancel and scontrol take for the whole array. */
  get jobId(): string {
    return this.group.id;
  }

  toTreeItem(): vscode.TreeItem {
    const g = this.group;
    const item = new vscode.TreeItem(`${g.id} ${g.name}`, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `cluster:${this.host}:job:${g.id}`;
    const active = g.jobs.filter((j) => !isFinished(j.state));
    item.contextValue = active.length ? 'slurmJob.array.active' : 'slurmJob.array.finished';
    item.iconPath = new vscode.ThemeIcon(active.some((j) => j.state === 'RUNNING') ? 'sync~spin' : active.length ? 'clock' : 'pass');
    item.description = `array · ${active.length ? jobCounts(active) : jobCounts(g.jobs)}`;
    item.tooltip = markdown`Job array ${code(g.id)} (${g.name}): ${plural(g.jobs.length, 'row')} in squeue`;
    item.accessibilityInformation = { label: `${item.label as string} ${item.description as string}` };
    return item;
  }

  children(): ClusterTreeNode[] {
    return this.tree.childrenOf(`cluster:${this.host}:job:${this.group.id}`);
  }

  build(): ClusterTreeNode[] {
    return this.group.jobs.map((j) => new JobNode(this.host, j));
  }
}

export class JobNode {
  readonly kind = 'job';
  constructor(
    readonly host: string,
    readonly job: SlurmJob,
  ) {}

  get jobId(): string {
    return this.job.id;
  }

  toTreeItem(): vscode.TreeItem {
    const j = this.job;
    const label = j.arrayTaskId !== undefined ? `task ${j.arrayTaskId}` : `${j.id} ${j.name}`;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `cluster:${this.host}:job:${j.id}`;
    item.contextValue = jobContext(j);
    const held = jobIsHeld(j);
    item.iconPath = new vscode.ThemeIcon(
      j.state === 'RUNNING'
        ? 'sync~spin'
        : held
          ? 'debug-pause'
          : j.state === 'PENDING'
            ? 'clock'
            : j.state === 'COMPLETED'
              ? 'pass'
              : isFinished(j.state)
                ? 'error'
                : 'loading~spin',
      j.state === 'COMPLETED'
        ? new vscode.ThemeColor('testing.iconPassed')
        : isFinished(j.state) && j.state !== 'COMPLETED'
          ? new vscode.ThemeColor('errorForeground')
          : undefined,
    );
    const state = held ? 'HELD' : j.state;
    item.description = [
      state,
      j.partition,
      j.nodes,
      j.gpus ? plural(j.gpus, 'GPU') : '',
      j.state === 'PENDING' ? '' : `${j.elapsed} / ${j.limit}`,
      j.state === 'PENDING' && j.reason && j.reason !== 'None' ? `(${j.reason})` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    item.tooltip = tooltip([
      markdown`**${j.id}** ${j.name} — ${state}`,
      markdown`Partition ${code(j.partition)}${j.nodes ? ` on ${code(j.nodes)}` : ''}${j.tres ? ` · ${j.tres}` : ''}`,
      markdown`Elapsed ${j.elapsed} of ${j.limit}`,
      !!j.reason && j.reason !== 'None' && markdown`Reason: ${j.reason}`,
      'Right-click: Cancel, Hold, Release, Requeue, Open Output, Tail Output into Live Logs.',
    ]);
    item.accessibilityInformation = { label: `${label} ${item.description}` };
    return item;
  }

  children(): ClusterTreeNode[] {
    return [];
  }
}
