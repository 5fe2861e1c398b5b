// Runs one claimed entry: the command (its whole process group, output to a log) while the lease
// is refreshed, then what to publish. Publishing and releasing are the worker's business.
import { createWriteStream, existsSync } from 'node:fs';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import { isCancelled } from '../process/errors';
import { shellQuote } from '../process/exec';
import { runLocal } from '../process/runLocal';
import { renewClaim, type Claim } from './claims';
import { renderCommand, type Entry } from './entries';
import { layout, stem } from './layout';
import { captureProvenance, provenanceJson } from '../provenance/provenance';
import { forgetPgid, pgidFile } from './leftovers';
import type { PhaseDef } from './plan';
import type { QueueOps } from './queueOps';
import type { WorkerEvent } from './workerTypes';
import type { PendingFinish, WorkerState } from './workerState';

export interface EntryRunContext {
  cloneDir: string;
  host: string;
  leaseSec: number;
  heartbeatSec?: number;
  ops: QueueOps;
  state: WorkerState;
  signal: AbortSignal;
  emit: (e: WorkerEvent) => void;
}

export type EntryRunOutcome =
  /** Another host took the entry over before our run completed: nothing of ours to publish. */
  | { kind: 'lost' }
  /** Stopped by the user (SIGINT/SIGTERM): the claim should be released. */
  | { kind: 'cancelled'; claim: Claim }
  | { kind: 'finished'; pending: PendingFinish; ok: boolean; reason?: string; durationMs: number };

export async function runEntry(ctx: EntryRunContext, phase: PhaseDef, entry: Entry, claim: Claim): Promise<EntryRunOutcome> {
  const { state } = ctx;
  await state.clearOutputs(entry.name);
  const resultPath = state.resultPath(entry.name);
  const command = renderCommand(phase, entry, resultPath);
  const runAbort = new AbortController();
  const onOuterAbort = () => runAbort.abort();
  ctx.signal.addEventListener('abort', onOuterAbort, { once: true });
  const lease = keepLease(ctx, entry.name, claim, runAbort);
  const log = createWriteStream(state.logPath(entry.name));
  const started = Date.now();
  // Which code this run used (commit, bundle, dirty), published beside its result or failure.
  const provenance = { path: `${layout.runsDir}/${stem(entry.name)}.provenance`, content: provenanceJson(await captureProvenance(ctx.cloneDir)) };
  ctx.emit({ type: 'started', entry: entry.name, command });
  let result: { code: number | null; timedOut: boolean } | undefined;
  let error: string | undefined;
  try {
    const write = (stream: 'stdout' | 'stderr') => (line: string) => {
      log.write(`${line}\n`);
      ctx.emit({ type: 'output', entry: entry.name, line, stream });
    };
    // The shell records its process group first, so a worker restarted after a SIGKILL can stop a
    // run that outlived it instead of starting a second copy next to it on the same GPU.
    result = await runLocal(`echo "$$ ${process.pid}" > ${shellQuote(pgidFile(state, entry.name))}; ${command}`, {
      cwd: ctx.cloneDir,
      signal: runAbort.signal,
      onStdout: write('stdout'),
      onStderr: write('stderr'),
      timeoutMs: phase.timeoutSec ? phase.timeoutSec * 1000 : undefined,
      env: { AIRLOCK_ENTRY: entry.name, AIRLOCK_PHASE: phase.name, AIRLOCK_HOST: ctx.host, AIRLOCK_RESULT: resultPath },
    });
  } catch (err) {
    if (!isCancelled(err)) error = err instanceof Error ? err.message : String(err);
  } finally {
    ctx.signal.removeEventListener('abort', onOuterAbort);
    await lease.stop();
    await new Promise((r) => log.end(r));
    await forgetPgid(state, entry.name);
  }
  // A run that completed before we learnt the claim was lost still counts: publish its result (the
  // first result wins; the finish check drops ours if another landed). Only a run we stopped, or
  // one that failed, is left to the host that took the entry over.
  const ok = !!result && result.code === 0 && existsSync(resultPath);
  if (lease.lost() && !ok) return { kind: 'lost' };
  if (ctx.signal.aborted && !ok) return { kind: 'cancelled', claim: lease.current() };
  if (phase.captureEnv) {
    const env = await runLocal(phase.captureEnv, { cwd: ctx.cloneDir, timeoutMs: 60_000 }).catch((e: Error) => ({
      stdout: `could not capture: ${e.message}\n`,
    }));
    await writeFileAtomic(state.envPath(entry.name), env.stdout);
  }
  const token = lease.current().token;
  if (ok) {
    return {
      kind: 'finished',
      ok,
      durationMs: Date.now() - started,
      pending: {
        entry: entry.name,
        kind: 'finish',
        token,
        files: [
          { path: layout.result(entry.name), from: resultPath },
          { path: layout.log(entry.name), from: state.logPath(entry.name) },
          ...(phase.captureEnv ? [{ path: layout.env(entry.name), from: state.envPath(entry.name) }] : []),
          provenance,
        ],
      },
    };
  }
  const reason =
    error ??
    (result?.timedOut
      ? `timed out after ${phase.timeoutSec} s`
      : result?.code !== 0
        ? `exited with ${result?.code ?? 'a signal'}`
        : 'exited 0 but wrote no result to {result}');
  const record = { host: ctx.host, exitCode: result?.code ?? null, reason, failedAt: new Date().toISOString() };
  return {
    kind: 'finished',
    ok,
    reason,
    durationMs: Date.now() - started,
    pending: {
      entry: entry.name,
      kind: 'fail',
      token,
      record,
      files: [
        { path: layout.failed(entry.name), content: `${JSON.stringify(record, null, 2)}\n` },
        { path: layout.failedLog(entry.name), from: state.logPath(entry.name) },
        provenance,
      ],
    },
  };
}

/** Refreshes the lease every `heartbeatSec` until stopped; stops the run if another host took the entry over. */
function keepLease(ctx: EntryRunContext, entry: string, claim: Claim, runAbort: AbortController) {
  let current = claim;
  let lost = false;
  let running = true;
  // One refresh at a time: ticks must not pile up behind an outage.
  let beating = false;
  const refresh = () =>
    ctx.ops.serial(async () => {
      if (runAbort.signal.aborted || !running) return;
      const next = renewClaim(current, ctx.leaseSec);
      const renewed = await ctx.ops
        .renew(entry, current, next, runAbort.signal)
        .catch((err: unknown) => (isCancelled(err) ? ('cancelled' as const) : Promise.reject(err)));
      if (renewed === 'cancelled') return;
      if (renewed) current = next;
      else {
        lost = true;
        ctx.emit({ type: 'claim-lost', entry });
        runAbort.abort();
      }
    });
  const timer = setInterval(
    () => {
      if (beating) return;
      beating = true;
      void refresh()
        .catch(() => undefined)
        .finally(() => (beating = false));
    },
    (ctx.heartbeatSec ?? ctx.leaseSec / 3) * 1000,
  );
  return {
    current: () => current,
    lost: () => lost,
    /** Stops refreshing and waits for a refresh in flight, so `lost()` is final. */
    async stop(): Promise<void> {
      running = false;
      clearInterval(timer);
      await ctx.ops.serial(async () => undefined);
    },
  };
}
