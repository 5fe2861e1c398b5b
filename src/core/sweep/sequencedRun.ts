// run_sequenced_tradeoff_sweep.py's timeline, per case: reinstall? → each background role then its
// wait → the foreground role → stop all (reverse order, by process group) → teardown wait → copy
// the logs home → analyse → analysis_summary.txt; at the end sweep_matrix.csv/.txt. A failed case
// is recorded with its reason and the sweep goes on; cancelling stops and collects the current case.
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import { ignoreGenerated } from '../fs/ignoreGenerated';
import { isCancelled } from '../process/errors';
import { pyPathJoin } from '../analysis/pyPath';
import { fmt2 } from '../analysis/pyFloat';
import { analyzeCaseDir, emptySweepMetrics, renderCaseSummary, renderSweepMatrix, sweepMatrixCsv, type SweepRow } from '../analysis/sweepMatrix';
import { pyJsonDumps } from './pyValue';
import { fetchLog, reinstall, runForeground, startBackground, stopBackground, type ActiveJob } from './sweepJobs';
import type { CaseOutcome, CaseRef } from './sweepEvents';
import type { CasePlan } from './sweepPlan';
import { secText } from './sweepSchedule';
import type { SweepSession } from './sweepSession';

/**
 * Where a dry run writes its placeholders (config_used.json, zeroed summaries and matrix):
 * `<local_root>/<run_tag>.dry-run/`, beside the real run's folder, so a dry run never replaces a real
 * run's results. The original wrote them over the real run's files.
 */
export function dryRunDir(plan: { localRoot: string; runTag: string }): string {
  return pyPathJoin(plan.localRoot, `${plan.runTag}.dry-run`);
}

export async function runSequenced(s: SweepSession): Promise<CaseOutcome[]> {
  const { plan } = s;
  const sch = plan.schedule;
  const runDir = s.dryRun ? dryRunDir(plan) : pyPathJoin(plan.localRoot, plan.runTag);
  const kind = <K extends 'config' | 'summary' | 'sweep-matrix'>(k: K) => (s.dryRun ? 'placeholder' : k);
  await mkdir(runDir, { recursive: true });
  await ignoreGenerated(plan.localRoot);
  await writeFileAtomic(`${runDir}/config_used.json`, pyJsonDumps(plan.config.raw));
  s.emit('file', { path: `${runDir}/config_used.json`, kind: kind('config') });
  const waits = plan.roles.background.map((r) => secText(sch.waitAfter.get(r)!)).join('/');
  s.print(
    `[sweep] run_tag=${plan.runTag} cases=${plan.cases.length} stage_waits=${waits}s results_root=${sch.resultsRoot} local_root=${pyPathJoin(plan.localRoot)} dry_run=${s.dryRun ? 'True' : 'False'}`,
  );

  const rows: SweepRow[] = [];
  const outcomes: CaseOutcome[] = plan.cases.map((c) => ({ caseIndex: c.index, caseName: c.name, caseTag: c.tag, state: 'pending' }));
  for (const c of plan.cases) {
    if (s.cancelled) break;
    const outcome = await runCase(s, c, rows);
    outcomes[c.index] = outcome;
    if (c.index < plan.cases.length - 1 && !s.cancelled) await s.sleep(sch.interCaseSec).catch((err) => (isCancelled(err) ? undefined : Promise.reject(err)));
  }
  const csv = `${runDir}/sweep_matrix.csv`;
  const txt = `${runDir}/sweep_matrix.txt`;
  await writeFileAtomic(csv, sweepMatrixCsv(rows));
  await writeFileAtomic(txt, renderSweepMatrix(plan.runTag, rows));
  for (const path of [csv, txt]) {
    s.print(`[sweep] matrix written: ${path}`);
    s.emit('file', { path, kind: kind('sweep-matrix') });
  }
  s.print(s.cancelled ? '[sweep] cancelled; stopped what was running and collected what existed.' : '[sweep] all done.');
  return outcomes;
}

async function runCase(s: SweepSession, c: CasePlan, rows: SweepRow[]): Promise<CaseOutcome> {
  const { plan } = s;
  const ref: CaseRef = { caseIndex: c.index, caseName: c.name, caseTag: c.tag };
  // A dry run copies nothing home (its scp lines are what a real run would do); its summary is a placeholder.
  const summaryDir = s.dryRun ? pyPathJoin(dryRunDir(plan), c.tag) : c.localDir;
  await mkdir(summaryDir, { recursive: true });
  s.print('='.repeat(96));
  s.print(
    `[sweep] CASE ${c.index + 1}/${plan.cases.length} name=${c.name} bs=${c.ints.batch_size} mb=${c.ints.micro_batch_size} cmp=${c.ints.compression} offload=${c.ints.offload} eval=${c.ints.eval_tokens}`,
  );
  s.print('='.repeat(96));
  s.emit('case', { ...ref, state: 'starting' });
  const reasons: string[] = [];
  const active: ActiveJob[] = [];
  try {
    for (const r of c.reinstall) await reinstall(s, r.role, r.host, r.jobCmd);
    for (const job of c.background) {
      await startBackground(s, ref, job, active);
      await s.sleep(plan.schedule.waitAfter.get(job.role)!);
    }
    s.emit('case', { ...ref, state: 'running' });
    await runForeground(s, ref, c.foreground, plan.schedule.clientTimeoutSec);
  } catch (err) {
    const reason = isCancelled(err) ? 'cancelled' : (err as Error).message;
    reasons.push(reason);
    s.print(`[sweep] ERROR case=${c.name}: ${reason}`);
  } finally {
    // Reverse start order, and never with the cancel signal: stopping is what cancel asked for.
    for (const a of [...active].reverse()) {
      const problem = await stopBackground(s, a);
      if (problem) reasons.push(problem);
    }
    if (!s.cancelled) await s.sleep(plan.schedule.teardownWaitSec).catch(() => undefined);
  }

  await s.drainTails();
  s.emit('case', { ...ref, state: 'collecting' });
  const fetched = new Map<string, boolean>();
  for (const job of [...c.background, c.foreground]) {
    const ok = await fetchLog(
      s,
      '[sweep]',
      job.host,
      job.log,
      job.localLog,
      (msg) => `[sweep] WARN failed to collect ${job.log} from ${job.host.address}: ${msg}`,
    );
    fetched.set(job.role, ok);
    if (!ok) reasons.push(`could not collect ${job.log.split('/').pop()} from ${job.host.host}`);
  }
  const analysable = ['server1', 'server2', plan.roles.foreground].every((r) => fetched.get(r));
  const metrics =
    analysable && !s.dryRun
      ? await analyzeCaseDir(c.localDir).catch((err: Error) => (reasons.push(`analysis failed: ${err.message}`), emptySweepMetrics()))
      : emptySweepMetrics();
  const row: SweepRow = { case_name: c.name, case_tag: c.tag, error: reasons[0] ?? '', ...c.ints, ...metrics };
  rows.push(row);
  await writeFileAtomic(`${summaryDir}/analysis_summary.txt`, renderCaseSummary(row));
  s.emit('file', { path: `${summaryDir}/analysis_summary.txt`, kind: s.dryRun ? 'placeholder' : 'summary' });
  s.print(
    `[sweep] case done: ${c.name} | step=${fmt2(row.mean_step_latency_ms)}ms net=${fmt2(row.mean_network_total_ms)}ms queue=${fmt2(row.mean_queue_wait_ms)}ms`,
  );
  const reason = reasons.length ? [...new Set(reasons)].join('; ') : undefined;
  s.emit('case', { ...ref, state: reason ? 'failed' : 'done', reason });
  return { ...ref, state: reason ? 'failed' : 'done', reason };
}
