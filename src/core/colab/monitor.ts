// Following a Colab run: the notebook's own status file (on Drive) says how far it got and how it
// ended; the page (when there is one) says why it cannot go on. Whichever speaks first decides.
// A status that stops changing (heartbeat stale) means the runtime is gone even without a dialog.
import type { RunStatus } from '../notebook/statusWriter';
import { sleep, throwIfAborted } from '../process/errors';
import { ColabError, colabAdvice } from './colabErrors';
import type { PageProblem } from './colabPage';
import { DriveError } from './driveErrors';

export interface MonitorOptions {
  readStatus(): Promise<RunStatus | undefined>;
  pageProblem?(): Promise<PageProblem | undefined>;
  /** Whole run, from the first poll. */
  timeoutMs: number;
  pollMs?: number;
  /** The notebook must report within this long (GPU assignment, Drive mount: default 10 min). */
  startTimeoutMs?: number;
  /** A running status whose heartbeat is older than this means the runtime is gone (default 15 min). */
  staleAfterMs?: number;
  signal?: AbortSignal;
  onStatus?(s: RunStatus): void;
  /** Called on every poll after the status (the notebook's output tail); errors are read errors. */
  readOutput?(): Promise<void>;
  /** Drive hiccups while polling (the run goes on; these are only worth a log line). */
  onReadError?(err: Error): void;
}

const fatalDrive = (e: unknown) =>
  e instanceof DriveError && (e.status === 401 || e.status === 404 || (e.status === 403 && !/RateLimit/i.test(e.reason ?? '')) || e.reason === 'invalid_grant');

/** Resolves with the final status (done or failed); throws ColabError when the run cannot finish. */
export async function monitorRun(o: MonitorOptions): Promise<RunStatus> {
  const started = Date.now();
  const pollMs = o.pollMs ?? 5000;
  let last: RunStatus | undefined;
  let lastKey = '';
  for (;;) {
    throwIfAborted(o.signal);
    const problem = await o.pageProblem?.();
    if (problem) throw new ColabError(problem.code, `${problem.message} — ${colabAdvice[problem.code]}`);
    let s: RunStatus | undefined;
    try {
      s = await o.readStatus();
    } catch (err) {
      if (fatalDrive(err)) throw err;
      o.onReadError?.(err as Error);
    }
    await o.readOutput?.().catch((err: Error) => o.onReadError?.(err));
    if (s) {
      const key = `${s.state}|${s.cell}|${s.updatedAt}`;
      if (key !== lastKey) o.onStatus?.(s);
      lastKey = key;
      last = s;
      if (s.state !== 'running') return s;
      const beat = Date.parse(s.heartbeatAt ?? s.updatedAt);
      if (Number.isFinite(beat) && Date.now() - beat > (o.staleAfterMs ?? 15 * 60_000)) {
        throw new ColabError(
          'runtime-disconnected',
          `the run stopped reporting after cell ${s.cell}/${s.total} (last heartbeat ${s.heartbeatAt ?? s.updatedAt}) — ${colabAdvice['runtime-disconnected']}`,
        );
      }
    }
    const elapsed = Date.now() - started;
    if (!last && elapsed > (o.startTimeoutMs ?? 10 * 60_000))
      throw new ColabError('no-status', `no status after ${Math.round(elapsed / 1000)} s — ${colabAdvice['no-status']}`);
    if (elapsed > o.timeoutMs) {
      throw new ColabError(
        'timeout',
        `the run did not finish within ${Math.round(o.timeoutMs / 1000)} s${last ? ` (at cell ${last.cell}/${last.total})` : ''} — ${colabAdvice.timeout}`,
      );
    }
    await sleep(Math.min(pollMs, Math.max(10, o.timeoutMs - elapsed)), o.signal);
  }
}
