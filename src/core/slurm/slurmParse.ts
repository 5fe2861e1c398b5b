// What `sinfo` and `squeue` print, as data. We ask for `|`-separated formats (not `--json`: the JSON
// schema changes with every Slurm release and is missing before 21.08); the free-text field (a job's
// name, a node's reason) comes last so a `|` inside it cannot shift the other columns.

/** `sinfo -h -N -O <this>`: one row per node and partition. */
export const sinfoFields = 'Partition:|,NodeList:|,StateLong:|,Gres:|,GresUsed:|,CPUsState:|,Reason:';

/** `squeue -h -o <this>`: one row per job (an array task is its own row). */
export const squeueFormat = '%i|%F|%K|%T|%P|%b|%M|%l|%D|%u|%N|%r|%j';

export type NodeState = 'idle' | 'mixed' | 'allocated' | 'down' | 'drain' | 'other';

export interface SlurmNodeRow {
  partition: string;
  node: string;
  /** As Slurm says it, e.g. `mixed`, `down*`, `drained`. */
  stateText: string;
  state: NodeState;
  gpusTotal: number;
  gpusUsed: number;
  cpusAlloc: number;
  cpusTotal: number;
  reason?: string;
}

export interface SlurmPartition {
  name: string;
  nodes: Record<NodeState, number>;
  nodeCount: number;
  gpusTotal: number;
  gpusUsed: number;
  cpusAlloc: number;
  cpusTotal: number;
  /** Nodes that are down or drained, with Slurm's reason. */
  unavailable: { node: string; state: string; reason?: string }[];
}

export interface SlurmJob {
  /** `123` or `123_4` for an array task (`123_[5-9]` for tasks not started yet). */
  id: string;
  arrayJobId: string;
  /** Undefined for a job that is not an array. */
  arrayTaskId?: string;
  state: string;
  partition: string;
  /** e.g. `gres:gpu:1`; undefined when none. */
  tres?: string;
  gpus: number;
  elapsed: string;
  limit: string;
  nodeCount: number;
  user: string;
  /** Node list when running; undefined while pending. */
  nodes?: string;
  /** Why it is pending (or None). */
  reason?: string;
  name: string;
}

/** Counts GPUs in a GRES string: `gpu:4`, `gpu:a100:2(S:0-1)`, `gpu:2(IDX:0-1),mps:100`. */
export function countGpus(gres: string): number {
  let n = 0;
  for (const part of gres.split(/,(?![^(]*\))/)) {
    const m = /^gpu(?::[^:(]+)?:(\d+)/.exec(part.trim());
    if (m) n += Number(m[1]);
  }
  return n;
}

export function nodeState(text: string): NodeState {
  const s = text.replace(/[*~#!%$@^+-]+$/, '').toLowerCase();
  if (s === 'idle') return 'idle';
  if (s === 'mixed') return 'mixed';
  if (s === 'allocated' || s === 'alloc' || s === 'completing') return 'allocated';
  if (s.startsWith('drain')) return 'drain';
  if (s === 'down' || s === 'fail' || s === 'failing' || s === 'not_responding' || s === 'unknown') return 'down';
  return 'other';
}

export function parseSinfo(stdout: string): SlurmNodeRow[] {
  const rows: SlurmNodeRow[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const f = line.split('|');
    if (f.length < 7) continue;
    const [partition, node, stateText, gres, gresUsed, cpus] = f.map((x) => x.trim());
    const reason = f.slice(6).join('|').trim();
    const [alloc, , , total] = (cpus ?? '').split('/').map(Number);
    rows.push({
      partition: partition!,
      node: node!,
      stateText: stateText!,
      state: nodeState(stateText!),
      gpusTotal: countGpus(gres!),
      gpusUsed: countGpus(gresUsed!),
      cpusAlloc: Number.isFinite(alloc) ? alloc! : 0,
      cpusTotal: Number.isFinite(total) ? total! : 0,
      ...(reason && reason !== 'none' ? { reason } : {}),
    });
  }
  return rows;
}

/** Groups node rows by partition, keeping sinfo's order. */
export function summarizePartitions(rows: SlurmNodeRow[]): SlurmPartition[] {
  const byName = new Map<string, SlurmPartition>();
  for (const r of rows) {
    let p = byName.get(r.partition);
    if (!p) {
      p = {
        name: r.partition,
        nodes: { idle: 0, mixed: 0, allocated: 0, down: 0, drain: 0, other: 0 },
        nodeCount: 0,
        gpusTotal: 0,
        gpusUsed: 0,
        cpusAlloc: 0,
        cpusTotal: 0,
        unavailable: [],
      };
      byName.set(r.partition, p);
    }
    p.nodes[r.state]++;
    p.nodeCount++;
    p.gpusTotal += r.gpusTotal;
    p.gpusUsed += r.gpusUsed;
    p.cpusAlloc += r.cpusAlloc;
    p.cpusTotal += r.cpusTotal;
    if (r.state === 'down' || r.state === 'drain') p.unavailable.push({ node: r.node, state: r.stateText, ...(r.reason ? { reason: r.reason } : {}) });
  }
  return [...byName.values()];
}

export function parseSqueue(stdout: string): SlurmJob[] {
  const jobs: SlurmJob[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const f = line.split('|');
    if (f.length < 13) continue;
    const [id, arrayJobId, taskId, state, partition, tres, elapsed, limit, nodeCount, user, nodes, reason] = f.map((x) => x.trim());
    const none = (v: string | undefined) => (v && v !== 'N/A' && v !== '(null)' && v !== 'None' ? v : undefined);
    jobs.push({
      id: id!,
      arrayJobId: arrayJobId!,
      ...(none(taskId) ? { arrayTaskId: taskId } : {}),
      state: state!,
      partition: partition!,
      ...(none(tres) ? { tres } : {}),
      gpus: countGpus((tres ?? '').replace(/^gres[:/]/, '')),
      elapsed: elapsed!,
      limit: limit!,
      nodeCount: Number(nodeCount) || 0,
      user: user!,
      ...(none(nodes) ? { nodes } : {}),
      ...(none(reason) ? { reason } : {}),
      name: f.slice(12).join('|'),
    });
  }
  return jobs;
}

export interface JobGroup {
  /** The array's job id, or the job's own id. */
  id: string;
  name: string;
  jobs: SlurmJob[];
}

/** Array tasks under their array; plain jobs alone. Order: as squeue listed the first of each. */
export function groupJobs(jobs: SlurmJob[]): JobGroup[] {
  const groups = new Map<string, JobGroup>();
  for (const j of jobs) {
    const key = j.arrayTaskId !== undefined ? j.arrayJobId : j.id;
    const g = groups.get(key) ?? { id: key, name: j.name, jobs: [] };
    g.jobs.push(j);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** Job states that are over (squeue keeps them for MinJobAge). */
export function isFinished(state: string): boolean {
  return ['COMPLETED', 'CANCELLED', 'FAILED', 'TIMEOUT', 'NODE_FAIL', 'PREEMPTED', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE'].includes(state);
}
