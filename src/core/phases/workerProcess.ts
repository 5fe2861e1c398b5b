// A phase worker as a child process of a controller (the editor): the bundled CLI started with
// `--events jsonl`, its typed events reduced into a per-worker view. Nothing here knows the editor;
// the caller gets lines for its log and the view after every event.
import { spawn } from 'node:child_process';
import { LineSplitter } from '../process/lineSplitter';
import { describeEvent, initialWorkerView, parseWorkerEventLine, reduceWorkerEvent, type WorkerView } from './workerEvents';
import type { WorkerEvent } from './workerTypes';

export interface LocalWorkerOptions {
  /** The bundled CLI (`dist/cli.js`), run with this Node (Electron as Node in desktop VS Code). */
  cliPath: string;
  cloneDir: string;
  name: string;
  /** The plan, absolute or relative to the clone (the `airlock.phases.planPath` setting). */
  planPath: string;
  phases?: string[];
  signal: AbortSignal;
  /** A line for the log (event text or raw output); `error` for stderr that is not the worker's own. */
  onLine(line: string, error: boolean): void;
  onEvent(e: WorkerEvent, view: WorkerView): void;
  /** After SIGTERM, how long the worker may take to release its claim before SIGKILL. */
  killGraceMs?: number;
}

export function localWorkerArgs(o: Pick<LocalWorkerOptions, 'cliPath' | 'name' | 'planPath' | 'phases'>): string[] {
  return [o.cliPath, 'worker', '--events', 'jsonl', '--host', o.name, '--config', o.planPath, ...(o.phases ?? []).flatMap((p) => ['--phase', p])];
}

/** Starts the worker; resolves with its exit code once it is gone. */
export function spawnLocalWorker(o: LocalWorkerOptions): { pid: number | undefined; exited: Promise<number | null>; view: () => WorkerView } {
  let view = initialWorkerView();
  const child = spawn(process.execPath, localWorkerArgs(o), {
    cwd: o.cloneDir,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = new LineSplitter((l) => {
    const e = parseWorkerEventLine(l);
    if (!e) return o.onLine(l, false);
    view = reduceWorkerEvent(view, e);
    const text = describeEvent(e);
    if (text !== undefined) o.onLine(text, e.type === 'output' && e.stream === 'stderr');
    o.onEvent(e, view);
  });
  // stderr carries the closing summary and errors (a bad plan): shown as they are.
  const err = new LineSplitter((l) => o.onLine(l, true));
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    child.kill('SIGTERM');
    // The worker needs a moment to push the release of its claim; then no mercy.
    killTimer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), o.killGraceMs ?? 30_000);
  };
  o.signal.addEventListener('abort', onAbort, { once: true });
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (e) => {
      o.onLine(`[airlock] could not start the worker: ${e.message}`, true);
    });
    child.on('close', (code) => {
      out.flush();
      err.flush();
      clearTimeout(killTimer);
      o.signal.removeEventListener('abort', onAbort);
      resolve(code);
    });
  });
  return { pid: child.pid, exited, view: () => view };
}
