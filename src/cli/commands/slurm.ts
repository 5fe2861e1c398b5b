// `airlock slurm status|jobs|cancel|hold|release|requeue HOST`: a Slurm cluster through its login node.
import type { CliCommand, CliContext } from '../types';
import { UsageError } from '../errors';
import { parseOptions } from '../parseOptions';
import { cancelJobs, controlJobs, listJobs, readCluster } from '../../core/slurm/slurmClient';
import { table } from './hostsFormat';
import { clusterFlags, clusterFlagsUsage, openCluster } from './slurmShared';
import { runSlurmJupyter } from './slurmJupyter';

const usage = `Usage:
  airlock slurm status  HOST [--json]                 partitions: nodes idle/mixed/alloc/down, GPUs used/total
  airlock slurm jobs    HOST [--all] [--recent] [--json]   my jobs (squeue; --recent adds ended ones Slurm still keeps)
  airlock slurm cancel  HOST JOBID...                 scancel (an array's id cancels every task; 123_4 one task)
  airlock slurm hold|release|requeue HOST JOBID...    scontrol hold / release / requeue
  airlock slurm jupyter HOST [--partition P] [--gres gpu:1] [--time T]   Jupyter on a compute node, tunnelled here (--help)
Options:
${clusterFlagsUsage}`;

export const slurmCommand: CliCommand = {
  name: 'slurm',
  summary: 'a Slurm cluster through its login node: partitions and GPUs, my jobs, cancel/hold/release/requeue, Jupyter on a node',
  async run(args, ctx) {
    if (args[0] === 'jupyter') return runSlurmJupyter(args.slice(1), ctx);
    const { values, positionals } = parseOptions(
      {
        args,
        allowPositionals: true,
        options: { ...clusterFlags, json: { type: 'boolean' }, all: { type: 'boolean' }, recent: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      },
      usage,
    );
    if (values.help) return (ctx.stdout.write(usage + '\n'), 0);
    const [sub, name, ...ids] = positionals;
    if (!sub || !['status', 'jobs', 'cancel', 'hold', 'release', 'requeue'].includes(sub)) throw new UsageError(`unknown subcommand "${sub ?? ''}"\n${usage}`);
    if (['cancel', 'hold', 'release', 'requeue'].includes(sub) && !ids.length) throw new UsageError(`${sub} needs at least one job id\n${usage}`);
    const cluster = await openCluster(name, values, ctx, usage);
    try {
      const call = { signal: ctx.signal };
      if (sub === 'status') return status(await readCluster(cluster.runner, call), !!values.json, ctx);
      if (sub === 'jobs') {
        const jobs = await listJobs(cluster.runner, { ...call, all: !!values.all, recent: !!values.recent });
        if (values.json) ctx.stdout.write(JSON.stringify(jobs, null, 2) + '\n');
        else
          ctx.stdout.write(
            table([
              ['JOBID', 'NAME', 'STATE', 'PARTITION', 'NODES/REASON', 'GPUS', 'ELAPSED', 'LIMIT'],
              ...jobs.map((j) => [j.id, j.name, j.state, j.partition, j.nodes ?? (j.reason ? `(${j.reason})` : ''), String(j.gpus), j.elapsed, j.limit]),
            ]),
          );
        return 0;
      }
      if (sub === 'cancel') await cancelJobs(cluster.runner, ids, call);
      else await controlJobs(cluster.runner, sub as 'hold' | 'release' | 'requeue', ids, call);
      ctx.stdout.write(`${sub}: ${ids.join(' ')}\n`);
      return 0;
    } finally {
      cluster.dispose();
    }
  },
};

function status(state: Awaited<ReturnType<typeof readCluster>>, json: boolean, ctx: CliContext): number {
  if (json) {
    ctx.stdout.write(JSON.stringify(state, null, 2) + '\n');
    return 0;
  }
  ctx.stdout.write(
    table([
      ['PARTITION', 'NODES', 'IDLE', 'MIXED', 'ALLOC', 'DOWN/DRAIN', 'GPUS FREE/TOTAL', 'CPUS ALLOC/TOTAL'],
      ...state.partitions.map((p) => [
        p.name + (p.name === state.defaultPartition ? '*' : ''),
        String(p.nodeCount),
        String(p.nodes.idle),
        String(p.nodes.mixed),
        String(p.nodes.allocated),
        String(p.nodes.down + p.nodes.drain),
        `${p.gpusTotal - p.gpusUsed}/${p.gpusTotal}`,
        `${p.cpusAlloc}/${p.cpusTotal}`,
      ]),
    ]),
  );
  for (const p of state.partitions) for (const u of p.unavailable) ctx.stdout.write(`${p.name}: ${u.node} ${u.state}${u.reason ? ` (${u.reason})` : ''}\n`);
  return 0;
}
