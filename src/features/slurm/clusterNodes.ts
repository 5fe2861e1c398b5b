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

/** The "Partitions" and "Jobs" rows under a cluster host. */
export function clusterChildren(host: string, view: ClusterView | undefined): ClusterTreeNode[] {
  const id = (k: string) => `cluster:${host}:${k}`;
  if (!view || (view.loading && !view.readAt)) return [new MessageNode(id('loading'), 'Reading the cluster (sinfo, squeue)…', 'info')];
  const out: ClusterTreeNode[] = [];
  if (view.error)
    out.push(new MessageNode(id('error'), `Slurm: ${view.error}`, 'error', { title: 'Refresh', command: 'airlock.slurm.refresh', arguments: [host] }));
  if (view.state) out.push(new ClusterSectionNode(host, 'partitions', view));
  if (view.jobs) out.push(new ClusterSectionNode(host, 'jobs', view));
  return out;
}

export class ClusterSectionNode {
  readonly kind = 'clusterSection';
  constructor(
    readonly host: string,
    readonly section: 'partitions' | 'jobs',
    readonly view: ClusterView,
  ) {}

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
    return item;
  }

  children(): ClusterTreeNode[] {
    if (this.section === 'partitions') {
      const st = this.view.state!;
      return st.partitions.map((p) => new PartitionNode(this.host, p, p.name === st.defaultPartition));
    }
    const groups = groupJobs(this.view.jobs ?? []);
    if (!groups.length) return [new MessageNode(`cluster:${this.host}:nojobs`, 'No jobs of yours — Submit Phase Workers to Slurm… starts some', 'info')];
    return groups.map((g) =>
      g.jobs.length === 1 && g.jobs[0]!.arrayTaskId === undefined ? new JobNode(this.host, g.jobs[0]!) : new JobGroupNode(this.host, g),
    );
  }
}

export class PartitionNode {
  readonly kind = 'partition';
  constructor(
    readonly host: string,
    readonly partition: SlurmPartition,
    readonly isDefault: boolean,
  ) {}

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
    return item;
  }

  children(): ClusterTreeNode[] {
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
  constructor(
    readonly host: string,
    readonly group: JobGroup,
  ) {}

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
    return item;
  }

  children(): ClusterTreeNode[] {
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
