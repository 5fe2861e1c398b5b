// cluster_launch_queue.py's timeline: the shared DHT once (reuse_dht) and its warm-up, then per case
// the servers back to back, the warm-up, the client in the foreground, stop the case's servers,
// teardown wait, and the interval before the next case; finally stop everything. Unlike the
// original, a failed case does not end the queue: it is recorded and the next case runs.
import { isCancelled } from '../process/errors';
import { runForeground, reinstall, startBackground, stopBackground, type ActiveJob } from './sweepJobs';
import type { CaseOutcome, CaseRef } from './sweepEvents';
import { secText } from './sweepSchedule';
import type { SweepSession } from './sweepSession';

const swallowCancel = (err: unknown) => (isCancelled(err) ? undefined : Promise.reject(err));

/** With `deferDone`, a case that ran fine is announced only after its logs are collected (by the caller). */
export async function runQueue(s: SweepSession, deferDone = false): Promise<CaseOutcome[]> {
  const { plan } = s;
  const sch = plan.schedule;
  const reuse = sch.reuseDht;
  s.print(
    `[cluster-launch] run_tag=${plan.runTag} cases=${plan.cases.length} interval_sec=${secText(sch.intervalSec)} startup_wait_sec=${secText(sch.startupWaitSec)} reuse_dht=${reuse ? 'True' : 'False'} dry_run=${s.dryRun ? 'True' : 'False'}`,
  );
  const outcomes: CaseOutcome[] = plan.cases.map((c) => ({ caseIndex: c.index, caseName: c.name, caseTag: c.tag, state: 'pending' }));
  const sharedRef: CaseRef = { caseIndex: -1, caseName: 'shared', caseTag: `${plan.runTag}_shared` };
  const shared: ActiveJob[] = [];
  let sharedProblem: string | undefined;
  try {
    if (plan.shared.length) {
      try {
        for (const job of plan.shared) await startBackground(s, sharedRef, job, shared);
        s.print('[cluster-launch] Shared DHT started.');
        await s.sleep(sch.startupWaitSec);
      } catch (err) {
        sharedProblem = isCancelled(err) ? 'cancelled' : (err as Error).message;
        s.print(`[cluster-launch] ERROR shared roles: ${sharedProblem}`);
      }
    }
    for (const c of plan.cases) {
      if (s.cancelled) break;
      const ref: CaseRef = { caseIndex: c.index, caseName: c.name, caseTag: c.tag };
      s.print('='.repeat(88));
      s.print(`[cluster-launch] START case ${c.index + 1}/${plan.cases.length}: ${c.name} (tag=${c.tag})`);
      s.print('='.repeat(88));
      s.emit('case', { ...ref, state: 'starting' });
      const reasons: string[] = [];
      const active: ActiveJob[] = [];
      try {
        // Without a reachable shared DHT the servers cannot join; fail fast instead of running blind.
        if (sharedProblem) throw new Error(`the shared roles did not start: ${sharedProblem}`);
        for (const r of c.reinstall) await reinstall(s, r.role, r.host, r.jobCmd);
        const first = c.background.filter((j) => plan.roles.shared.includes(j.role));
        for (const job of first) {
          await startBackground(s, ref, job, active);
          await s.sleep(sch.startupWaitSec);
        }
        for (const job of c.background.filter((j) => !first.includes(j))) await startBackground(s, ref, job, active);
        if (sch.startupWaitSec > 0) s.print(`[cluster-launch] waiting ${secText(sch.startupWaitSec)}s for servers to warm up ...`);
        await s.sleep(sch.startupWaitSec);
        s.emit('case', { ...ref, state: 'running' });
        await runForeground(s, ref, c.foreground, sch.clientTimeoutSec);
        s.print(`[cluster-launch] case ${c.name} finished; stopping servers ...`);
      } catch (err) {
        reasons.push(isCancelled(err) ? 'cancelled' : (err as Error).message);
        s.print(`[cluster-launch] ERROR case=${c.name}: ${reasons[0]}`);
      } finally {
        for (const a of [...active].reverse()) {
          const problem = await stopBackground(s, a);
          if (problem) reasons.push(problem);
        }
        if (!s.cancelled) await s.sleep(sch.teardownWaitSec).catch(swallowCancel);
      }
      await s.drainTails();
      const reason = reasons.length ? [...new Set(reasons)].join('; ') : undefined;
      outcomes[c.index] = { ...ref, state: reason ? 'failed' : 'done', reason };
      if (reason || !deferDone) s.emit('case', { ...ref, state: reason ? 'failed' : 'done', reason });
      if (c.index < plan.cases.length - 1 && sch.intervalSec > 0 && !s.cancelled) {
        s.print(`[cluster-launch] sleeping ${secText(sch.intervalSec)}s before next case ...`);
        await s.sleep(sch.intervalSec).catch(swallowCancel);
      }
    }
  } finally {
    for (const a of [...shared].reverse()) await stopBackground(s, a);
    await s.drainTails();
    s.print('[cluster-launch] Cleanup completed.');
  }
  return outcomes;
}
