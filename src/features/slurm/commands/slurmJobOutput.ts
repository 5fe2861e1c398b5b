import * as vscode from 'vscode';
import { jobFiles } from '../../../core/slurm/slurmClient';
import { remotePathExpr } from '../../../core/shell/quote';
import { UserError } from '../../../core/errors/userError';
import { withCancellableProgress } from '../../progress';
import { pickJob, type JobTarget, type SlurmCommandDeps } from './slurmCommandDeps';

const maxBytes = 2 * 1024 * 1024;

async function outputPaths(deps: SlurmCommandDeps, host: string, id: string, signal?: AbortSignal): Promise<string[]> {
  const f = await jobFiles(deps.hosts.runner(host), id, { signal });
  const paths = [...new Set([f.stdout, f.stderr].filter((p): p is string => !!p))];
  if (!paths.length) throw new UserError(`Slurm does not say where job ${id} writes its output (scontrol show job has no StdOut).`);
  return paths;
}

/** Slurm: Tail Job Output — stdout (and stderr when apart) stream into Live Logs while the job runs. */
export async function tailSlurmJobOutput(deps: SlurmCommandDeps, arg?: JobTarget): Promise<void> {
  const job = await pickJob(deps, arg, 'Tail the output of', () => true);
  if (!job) return;
  if (job.tasks > 1) throw new UserError(`${job.label} is an array: tail one of its tasks (expand it and right-click a task).`);
  const paths = await outputPaths(deps, job.host, job.id);
  const runner = deps.hosts.runner(job.host);
  for (const p of paths)
    deps.runLogged(runner, `${job.host}: ${job.label} ${p.endsWith('.err') ? 'stderr' : 'output'}`, `tail -n 200 -F ${remotePathExpr(p)}`, 'tail');
}

/** Slurm: Open Job Output — the output file as it is now (its last 2 MB), in an editor. */
export async function openSlurmJobOutput(deps: SlurmCommandDeps, arg?: JobTarget): Promise<vscode.TextDocument | undefined> {
  const job = await pickJob(deps, arg, 'Open the output of', () => true);
  if (!job) return undefined;
  if (job.tasks > 1) throw new UserError(`${job.label} is an array: open one of its tasks' output (expand it and right-click a task).`);
  const text = await withCancellableProgress(`Airlock: reading the output of ${job.label} on ${job.host}…`, async (signal) => {
    const [path] = await outputPaths(deps, job.host, job.id, signal);
    const r = await deps.hosts.runner(job.host).exec(`tail -c ${maxBytes} ${remotePathExpr(path!)}`, { signal, timeoutMs: 60_000 });
    if (r.code !== 0) throw new UserError(`could not read ${path} on ${job.host}: ${r.stderr.trim() || `exit ${r.code}`}`);
    return `# ${job.host}:${path}\n${r.stdout}`;
  });
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'log' });
  await vscode.window.showTextDocument(doc, { preview: true });
  return doc;
}
