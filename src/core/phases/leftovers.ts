// A worker killed with SIGKILL cannot stop its command: the command runs in its own process group
// and outlives it. Each run records that group in the worker's private state; the next worker
// started for this host stops what is left before it resumes the entry, so a benchmark never runs
// twice side by side on one GPU.
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sleep } from '../process/errors';
import { killProcessGroup } from '../process/runLocal';
import { pidAlive } from '../process/pidAlive';
import type { WorkerState } from './workerState';

const suffix = '.pgid';

/** Written by the run's shell before the command: `echo "$$ <worker pid>" > FILE`. */
export function pgidFile(state: WorkerState, entry: string): string {
  return `${state.resultPath(entry)}${suffix}`;
}

export async function forgetPgid(state: WorkerState, entry: string): Promise<void> {
  await rm(pgidFile(state, entry), { force: true });
}

/** Stops process groups left by an earlier worker of this host; returns what was stopped. */
export async function stopLeftoverRuns(state: WorkerState, graceMs = 5000): Promise<{ entry: string; pgid: number }[]> {
  const dir = dirname(state.resultPath('x'));
  const stopped: { entry: string; pgid: number }[] = [];
  for (const f of await readdir(dir).catch(() => [] as string[])) {
    if (!f.endsWith(suffix)) continue;
    const file = join(dir, f);
    // "<process group> <worker pid>": a group whose worker is still alive is not a leftover (a
    // second worker started under the same name must not stop the first one's run).
    const [pgid = 0, worker = 0] = (await readFile(file, 'utf8').catch(() => '')).trim().split(' ').map(Number);
    if (worker && worker !== process.pid && pidAlive(worker)) continue;
    // Only a group one of whose processes still carries this run's AIRLOCK_RESULT: a recycled
    // process-group id belongs to someone else.
    if (pgid > 1 && (await groupIsOurs(pgid, `AIRLOCK_RESULT=${file.slice(0, -suffix.length)}`))) {
      killProcessGroup(pgid, 'SIGTERM');
      for (let waited = 0; waited < graceMs && groupAlive(pgid); waited += 100) await sleep(100);
      if (groupAlive(pgid)) killProcessGroup(pgid, 'SIGKILL');
      stopped.push({ entry: f.slice(0, -suffix.length), pgid });
    }
    await rm(file, { force: true });
  }
  return stopped;
}

async function groupIsOurs(pgid: number, marker: string): Promise<boolean> {
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // Fields after the parenthesised command name: state ppid pgrp ...
    const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    if (pgrp !== pgid) continue;
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(marker)) return true;
  }
  return false;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
