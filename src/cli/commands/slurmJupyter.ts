// `airlock slurm jupyter HOST …`: a Jupyter server as a Slurm job on a compute node, tunnelled to
// this machine through the login node. Prints the URL (with its fresh token) on stdout once the
// server answers, then holds the tunnel; Ctrl+C, SIGTERM, SIGHUP or a closed stdout cancels the
// job (and waits until Slurm ended it), so nothing is left in squeue.
import type { CliContext } from '../types';
import { UsageError } from '../errors';
import { parseOptions } from '../parseOptions';
import { isCancelled } from '../../core/process/errors';
import { checkJupyterJobOptions, jobOutputTail, jupyterJobScript, jupyterSbatchArgv, waitForJobEnd, type JupyterJobOptions } from '../../core/slurm/jupyterJob';
import { startJupyterOnSlurm } from '../../core/slurm/jupyterOnSlurm';
import { asUsage, clusterFlags, clusterFlagsUsage, openCluster } from './slurmShared';

export const jupyterUsage = `Usage:
  airlock slurm jupyter HOST [--partition P] [--gres gpu:1] [--time 4:00:00] [--sbatch-arg OPTION]...
                             [--setup 'module load python'] [--job-name NAME] [--json] [--dry-run]
Submits a job that runs a Jupyter server on a compute node of the cluster HOST (its login node),
waits until it listens (printing why while it is pending), tunnels its port here over SSH and prints
http://127.0.0.1:PORT/?token=… on stdout (--json: one JSON line). Stop with Ctrl+C: the job is cancelled.
Options:
  --sbatch-arg OPT   any other sbatch option, e.g. --sbatch-arg=--mem=16G (repeatable)
  --setup CMD        shell lines run on the node before the server (load a module, activate a venv)
  --dry-run          print the sbatch command and script; submit nothing
${clusterFlagsUsage}`;

export async function runSlurmJupyter(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseOptions(
    {
      args,
      allowPositionals: true,
      options: {
        ...clusterFlags,
        partition: { type: 'string' },
        gres: { type: 'string' },
        time: { type: 'string' },
        'sbatch-arg': { type: 'string', multiple: true },
        setup: { type: 'string' },
        'job-name': { type: 'string' },
        json: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    jupyterUsage,
  );
  if (values.help) return (ctx.stdout.write(jupyterUsage + '\n'), 0);
  if (positionals.length > 1) throw new UsageError(`one cluster at a time\n${jupyterUsage}`);
  const opts: JupyterJobOptions = {
    ...(values.partition !== undefined ? { partition: values.partition } : {}),
    ...(values.gres !== undefined ? { gres: values.gres } : {}),
    ...(values.time !== undefined ? { time: values.time } : {}),
    ...(values['sbatch-arg'] ? { sbatchArgs: values['sbatch-arg'] } : {}),
    ...(values.setup !== undefined ? { setup: values.setup } : {}),
    ...(values['job-name'] !== undefined ? { jobName: values['job-name'] } : {}),
  };
  try {
    checkJupyterJobOptions(opts);
  } catch (err) {
    throw asUsage(err);
  }
  if (values['dry-run']) {
    const dir = '.airlock/slurm/jupyter-<time>';
    ctx.stdout.write(
      `# on ${positionals[0] ?? 'HOST'}:\nsbatch ${jupyterSbatchArgv(opts, `~/${dir}/job.out`).join(' ')} ~/${dir}/jupyter.sbatch\n\n${jupyterJobScript(dir, opts)}`,
    );
    return 0;
  }
  const say = (s: string) => ctx.stderr.write(`${s}\n`);
  const cluster = await openCluster(positionals[0], values, ctx, jupyterUsage);
  let submitted: string | undefined;
  try {
    const server = await startJupyterOnSlurm(cluster.runner, opts, {
      signal: ctx.signal,
      onSubmitted: (j) => {
        submitted = j.jobId;
        say(`submitted job ${j.jobId} on ${cluster.runner.host.name} (output in ~/${j.dir}/job.out)`);
      },
      onProgress: (p) =>
        say(
          p.kind === 'pending'
            ? `job ${p.jobId} is pending (${p.reason === 'None' ? 'not scheduled yet' : p.reason})${/^(Resources|Priority)$/.test(p.reason) ? ' — waiting for the cluster; Ctrl+C cancels it' : ''}`
            : p.kind === 'starting'
              ? `job ${p.jobId} runs on ${p.node}; waiting for Jupyter to listen…`
              : `Jupyter listens on ${p.address}:${p.port} (${p.node}); tunnelling through ${cluster.runner.host.name}…`,
        ),
      onTunnelError: (e) => say(`tunnel: ${e.message}`),
    }).catch((err: unknown) => {
      // startJupyterOnSlurm has cancelled the job already.
      if (isCancelled(err) && submitted) say(`job ${submitted} cancelled before its server listened; nothing left in squeue`);
      throw err;
    });
    const link = `${server.url}?token=${server.token}`;
    ctx.stdout.write(
      values.json
        ? JSON.stringify({ url: server.url, token: server.token, link, jobId: server.jobId, node: server.node, cluster: server.cluster }) + '\n'
        : `${link}\n`,
    );
    say(`job ${server.jobId} on ${server.node}: Jupyter is at ${server.url} (tunnel over SSH). Ctrl+C cancels the job.`);
    const ended = new AbortController();
    const onStop = () => ended.abort();
    ctx.signal.addEventListener('abort', onStop, { once: true });
    if (ctx.signal.aborted) ended.abort();
    try {
      const state = await waitForJobEnd(cluster.runner, { jobId: server.jobId, dir: server.dir }, { signal: ended.signal });
      const output = await jobOutputTail(cluster.runner, { dir: server.dir, token: server.token });
      await server.stop().catch(() => undefined);
      say(`job ${server.jobId} ended on its own (${state})${output ? `; its output ends:\n${output}` : ''}`);
      return 1;
    } catch (err) {
      if (!isCancelled(err)) throw err;
    } finally {
      ctx.signal.removeEventListener('abort', onStop);
    }
    say(`cancelling job ${server.jobId}…`);
    const state = await server.stop();
    say(`job ${server.jobId} ${state ? state.toLowerCase() : 'gone'}; nothing left in squeue`);
    return 0;
  } finally {
    cluster.dispose();
  }
}
