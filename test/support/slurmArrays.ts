// Helpers for the tests that run phase workers as Slurm job arrays through a login node: the CLI
// against the login node, what `squeue` says of a job, the queue's results and each task's output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliBundle } from './cliBundle';
import { makeGitQueue, type GitQueue } from './gitQueue';
import type { SlurmTestCluster } from './slurmCluster';
import type { SshTestHosts } from './sshd';

export interface SlurmArrays {
  /** The CLI in `cwd`, with the login node's ssh config. */
  cli(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string };
  /** `[id, state]` of every task of `job` that Slurm still lists. */
  squeue(job: string): [string, string][];
  /** The rows of `job` once none of its tasks pends or runs, else undefined. */
  allEnded(job: string): [string, string][] | undefined;
  /** Waits until `allEnded(job)`; its error names the job. */
  allEndedWait(job: string, timeoutMs?: number): Promise<[string, string][]>;
  /** Result files on the queue's remote. */
  results(q: GitQueue): string[];
  taskOutputPath(job: string, task: string): string;
  taskOutput(job: string, task: string): string;
  /** Like taskOutput, but `(none yet)` before the task wrote anything (for failure messages). */
  taskOutputIfAny(job: string, task: string): string;
  /** A one-phase queue with its entries generated; disposed by `dispose()`. */
  queue(command: string, axes: Record<string, string[]>, opts?: { reruns?: number; leaseSec?: number }): GitQueue;
  dispose(): void;
}

/** `cluster` and `login` are read when a helper is called, so they may be assigned in `before`. */
export function slurmArrays(get: () => { cluster: SlurmTestCluster; login: SshTestHosts }): SlurmArrays {
  const queues: GitQueue[] = [];
  const taskOutputPath = (job: string, task: string) => join(get().cluster.home, '.airlock/slurm', `airlock-workers-${job}_${task}.out`);
  const squeue = (job: string) =>
    get()
      .cluster.run('squeue', '-h', '--states=all', '-j', job, '-o', '%i|%T')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('|') as [string, string]);
  const allEnded = (job: string) => {
    const rows = squeue(job);
    return rows.length > 0 && rows.every(([, st]) => !['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING', 'REQUEUED'].includes(st)) ? rows : undefined;
  };
  return {
    cli(cwd, ...args) {
      const r = spawnSync(process.execPath, [cliBundle(), ...args, '--ssh-config', get().login.sshConfigPath], { cwd, encoding: 'utf8', timeout: 120_000 });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    squeue,
    allEnded,
    allEndedWait: (job, timeoutMs = 180_000) => get().cluster.waitFor(`job ${job} to end`, () => allEnded(job), timeoutMs),
    results: (q) => q.remoteFiles('data/runs').filter((f) => /^data\/runs\/[^/]+\.json$/.test(f)),
    taskOutputPath,
    taskOutput: (job, task) => readFileSync(taskOutputPath(job, task), 'utf8'),
    taskOutputIfAny: (job, task) => (existsSync(taskOutputPath(job, task)) ? readFileSync(taskOutputPath(job, task), 'utf8') : '(none yet)'),
    queue(command, axes, opts = {}) {
      const q = makeGitQueue({ leaseSec: opts.leaseSec ?? 600, phases: [{ name: 'p1', axes, reruns: opts.reruns ?? 1, command }] });
      queues.push(q);
      const g = spawnSync(process.execPath, [cliBundle(), 'phases', 'generate'], { cwd: q.seed, encoding: 'utf8' });
      assert.equal(g.status, 0, g.stderr);
      return q;
    },
    dispose() {
      for (const q of queues.splice(0)) q.dispose();
    },
  };
}
