// Phase workers started from the editor: here (a child process running the bundled CLI, its typed
// events reduced in core) or on a host over SSH (`nohup setsid`, the single-file CLI copied when
// missing). Their output streams into Live Logs; stopping sends SIGTERM so the worker releases its
// claim itself.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { remotePathExpr, shellQuote } from '../shell/quote';
import type { HostRunner } from '../hosts/types';
import { spawnLocalWorker } from './workerProcess';
import type { WorkerView } from './workerEvents';
import type { WorkerEvent } from './workerTypes';
import type { JobRegistry } from '../jobs/jobRegistry';
import type { LogStore } from '../logs/logStore';

/** The Live Logs group every phase worker's stream is filed under. */
export const phaseWorkersGroup = 'phase workers';

/** Where a worker's output and job go: Live Logs' store and the running-jobs registry. */
export interface WorkerLogs {
  store: LogStore;
  jobs: JobRegistry;
}

export interface WorkerHandle {
  id: string;
  name: string;
  where: string;
  startedAt: number;
  streamId: string;
  jobId: string;
  /** What the tree shows: the latest thing the worker did. */
  lastLine?: string;
  view?: WorkerView;
  stop(): void;
  exited: Promise<void>;
}

let seq = 0;

/** Starts `airlock worker --events jsonl --config <planPath>` in `cloneDir` on this machine. */
export function startLocalWorker(o: {
  cliPath: string;
  cloneDir: string;
  name: string;
  planPath: string;
  phases?: string[];
  logs: WorkerLogs;
  onEvent: (w: WorkerHandle, e: WorkerEvent) => void;
}): WorkerHandle {
  const title = `worker ${o.name} (this machine)`;
  const streamId = o.logs.store.create({ title, source: 'local', kind: 'job', group: [phaseWorkersGroup] });
  const { job, signal } = o.logs.jobs.start({ title, host: 'local', logStreamId: streamId });
  const handle: WorkerHandle = {
    id: `w${++seq}`,
    name: o.name,
    where: 'this machine',
    startedAt: Date.now(),
    streamId,
    jobId: job.id,
    stop: () => o.logs.jobs.cancel(job.id),
    exited: Promise.resolve(),
  };
  const proc = spawnLocalWorker({
    cliPath: o.cliPath,
    cloneDir: o.cloneDir,
    name: o.name,
    planPath: o.planPath,
    signal,
    ...(o.phases ? { phases: o.phases } : {}),
    onLine: (line, error) => o.logs.store.append(streamId, [line], error),
    onEvent: (e, view) => {
      handle.view = view;
      handle.lastLine = view.summary;
      o.onEvent(handle, e);
    },
  });
  handle.exited = proc.exited.then((code) => {
    const state = signal.aborted ? 'cancelled' : code === 0 ? 'done' : 'failed';
    o.logs.store.append(streamId, [`[airlock] worker exited (${code ?? 'signal'})`], code !== 0 && !signal.aborted);
    o.logs.store.close(streamId, state, code);
    o.logs.jobs.finish(job.id, state);
  });
  return handle;
}

export class MissingToolsError extends Error {
  override readonly name = 'MissingToolsError';
}

/** Copies the CLI to `~/.airlock/bin/airlock.js` on the host unless the same file is already there. */
export async function ensureRemoteCli(runner: HostRunner, cliPath: string, signal?: AbortSignal): Promise<string> {
  const tools = await runner.exec(
    'for t in node git; do command -v $t >/dev/null || echo "missing $t"; done; node -e "process.stdout.write(process.versions.node)" 2>/dev/null',
    { signal, timeoutMs: 30_000 },
  );
  const missing = [...tools.stdout.matchAll(/missing (\w+)/g)].map((m) => m[1]!);
  if (missing.length) {
    throw new MissingToolsError(
      `${runner.host.name} has no ${missing.join(' and no ')} — a phase worker needs Node.js (18 or newer) and git there. Install them (e.g. "sudo apt-get install -y nodejs git") and try again.`,
    );
  }
  const major = Number(/(\d+)\.\d+\.\d+\s*$/.exec(tools.stdout)?.[1] ?? 0);
  if (major && major < 18) throw new MissingToolsError(`${runner.host.name} has Node.js ${major}; the worker needs 18 or newer.`);
  const local = createHash('sha256')
    .update(await readFile(cliPath))
    .digest('hex');
  const remote = await runner.exec('sha256sum ~/.airlock/bin/airlock.js 2>/dev/null', { signal, timeoutMs: 30_000 });
  if (!remote.stdout.startsWith(local)) {
    await runner.exec('mkdir -p ~/.airlock/bin', { signal });
    await runner.upload(cliPath, '~/.airlock/bin/airlock.js', signal);
  }
  return '~/.airlock/bin/airlock.js';
}

/** The shell command that clones (if needed) and starts a detached worker; prints its PID. */
export function remoteWorkerCommand(o: { cloneDir: string; remoteUrl: string; name: string; cli: string; planPath?: string }): string {
  const dir = o.cloneDir.startsWith('~/') ? `~/${shellQuote(o.cloneDir.slice(2))}` : shellQuote(o.cloneDir);
  const base = `~/.airlock/worker-${o.name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  return [
    'set -e',
    `if [ ! -d ${dir}/.git ]; then git clone -q ${shellQuote(o.remoteUrl)} ${dir}; fi`,
    `cd ${dir}`,
    `git pull -q --ff-only || echo ${shellQuote(`[airlock] could not fast-forward ${o.cloneDir}; the worker uses its own worktree for the queue`)}`,
    `rm -f ${base}.pid`,
    `nohup setsid node ${remotePathExpr(o.cli)} worker --host ${shellQuote(o.name)} ${o.planPath ? `--config ${shellQuote(o.planPath)} ` : ''}--pid-file ${base}.pid > ${base}.log 2>&1 < /dev/null &`,
    // The worker writes its own PID (setsid may fork, so $! is not always the worker).
    `for i in $(seq 1 100); do [ -s ${base}.pid ] && break; sleep 0.1; done`,
    `[ -s ${base}.pid ] || { echo "the worker did not start:"; tail -n 20 ${base}.log; exit 1; } >&2`,
    `cat ${base}.pid`,
  ].join('\n');
}

export function remoteWorkerFiles(name: string): { log: string; pid: string } {
  const base = `~/.airlock/worker-${name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  return { log: `${base}.log`, pid: `${base}.pid` };
}
