// collect_and_analyze.py: copy every case's logs home, then latency_breakdown.txt per complete case
// and tradeoff_matrix.txt/.csv per run (baseline = first complete case); the analysis reads each
// case once for both and runs cases in parallel (core/analysis/collectAnalysis.ts). Used by
// `airlock sweep collect` and at the end of a queue run. Missing logs are warnings unless --strict.
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import { ignoreGenerated } from '../fs/ignoreGenerated';
import { analyzeCollected } from '../analysis/collectAnalysis';
import { pyPathJoin } from '../analysis/pyPath';
import { tradeoffCsv, type TradeoffRow } from '../analysis/tradeoff';
import { renderTradeoffReport } from '../analysis/tradeoffReport';
import { fetchLog } from './sweepJobs';
import { shlexJoin } from './shlex';
import type { CaseOutcome } from './sweepEvents';
import type { CasePlan, JobPlan } from './sweepPlan';
import { SweepStepError, type SweepSession } from './sweepSession';

export interface CollectOptions {
  skipAnalysis?: boolean;
  /** Fail on the first log that cannot be copied (the CLI's --strict). */
  strict?: boolean;
  /** Outcomes of the run that just happened (queue mode), so failed cases stay failed. */
  outcomes?: CaseOutcome[];
}

export async function collectRun(s: SweepSession, o: CollectOptions = {}): Promise<CaseOutcome[]> {
  const { plan } = s;
  const L = plan.localRoot;
  s.print(`[collect] run_tag=${plan.runTag} cases=${plan.cases.length} results_root=${plan.schedule.resultsRoot} local_root=${pyPathJoin(L)}`);
  if (!s.dryRun) await ignoreGenerated(L);
  const fetch = async (job: JobPlan): Promise<boolean> => {
    const ok = await fetchLog(
      s,
      '[collect]',
      job.host,
      job.log,
      job.localLog,
      (msg) => `[collect] WARN missing/unreadable remote file: ${job.host.address}:${job.log}\nstdout: \nstderr: ${msg}`,
    );
    if (!ok && o.strict) throw new SweepStepError(`missing/unreadable remote file: ${job.host.address}:${job.log}`);
    return ok;
  };
  const sharedRoles = plan.roles.shared;
  // The DHT logs first, as the original: the run's shared one, or each case's own.
  for (const job of plan.shared) await fetch(job);
  if (!plan.shared.length) for (const c of plan.cases) for (const job of c.background.filter((j) => sharedRoles.includes(j.role))) await fetch(job);

  const outcomes: CaseOutcome[] = [];
  const collected: CasePlan[] = [];
  for (const c of plan.cases) {
    const ref = { caseIndex: c.index, caseName: c.name, caseTag: c.tag };
    const prior = o.outcomes?.[c.index];
    if (prior?.state !== 'failed') s.emit('case', { ...ref, state: 'collecting' });
    if (!s.dryRun) await mkdir(c.localDir, { recursive: true });
    const missing: string[] = [];
    for (const job of [...c.background.filter((j) => !sharedRoles.includes(j.role)), c.foreground]) {
      if (!(await fetch(job))) missing.push(`could not collect ${job.log.split('/').pop()} from ${job.host.host}`);
    }
    if (!missing.length) collected.push(c);
    const reasons = [...(prior?.reason ? [prior.reason] : []), ...missing];
    const state = prior?.state === 'failed' || missing.length ? 'failed' : 'done';
    if (prior?.state !== 'failed' || missing.length) s.emit('case', { ...ref, state, reason: reasons.join('; ') || undefined });
    outcomes.push({ ...ref, state, reason: reasons.join('; ') || undefined });
  }

  const analysable = ['server1', 'server2'].every((r) => plan.roles.background.includes(r));
  if (o.skipAnalysis || !analysable) {
    s.print(`[collect] analysis skipped: ${o.skipAnalysis ? 'skip-analysis enabled' : 'the analysis needs roles named server1 and server2'}`);
    s.print(`[collect] logs collected under: ${pyPathJoin(L)}`);
    s.print('[collect] done.');
    return outcomes;
  }
  const log = (c: CasePlan, role: string) => pyPathJoin(c.localDir, role === plan.roles.foreground ? 'inference.log' : `${role}.log`);
  const specOf = (c: CasePlan) => {
    const t = c.tradeoff;
    return `name=${c.name},client=${log(c, plan.roles.foreground)},server1=${log(c, 'server1')},server2=${log(c, 'server2')},compression=${t.compression},offload=${t.offload},batch=${t.batch},seq=${t.seq}`;
  };
  const failed = (msg: string) => `[FAILED] returncode=2\n\nSTDOUT:\n\n\nSTDERR:\n${msg}\n`;
  // Every case's logs are read once, in parallel up to the core count; results are applied in order.
  const analyses = s.dryRun
    ? []
    : await analyzeCollected(
        collected.map((c) => ({
          clientLog: log(c, plan.roles.foreground),
          server1Log: log(c, 'server1'),
          server2Log: log(c, 'server2'),
          spec: specOf(c),
        })),
      );
  for (const [i, c] of collected.entries()) {
    const args = ['--client-log', log(c, plan.roles.foreground), '--server1-log', log(c, 'server1'), '--server2-log', log(c, 'server2')];
    s.print(`[collect] $ ${shlexJoin(['airlock', 'analyze', 'latency', ...args])}`);
    if (s.dryRun) continue;
    const out = pyPathJoin(c.localDir, 'latency_breakdown.txt');
    const latency = analyses[i]!.latency;
    if ('error' in latency) s.print(`[collect] WARN analysis failed for case=${c.name}`);
    await writeFileAtomic(out, 'error' in latency ? failed(latency.error) : latency.text);
    s.emit('file', { path: out, kind: 'latency' });
  }
  if (!collected.length) {
    s.print('[collect] No complete cases collected; skip trade-off matrix.');
    s.print('[collect] done.');
    return outcomes;
  }
  const runDir = pyPathJoin(L, plan.runTag);
  const csv = pyPathJoin(runDir, 'tradeoff_matrix.csv');
  const specs = collected.map(specOf);
  s.print(
    `[collect] $ ${shlexJoin(['airlock', 'analyze', 'tradeoff', ...specs.flatMap((x) => ['--case', x]), '--baseline', collected[0]!.name, '--output-csv', csv])}`,
  );
  if (!s.dryRun) {
    await mkdir(runDir, { recursive: true });
    const txt = pyPathJoin(runDir, 'tradeoff_matrix.txt');
    const rows: TradeoffRow[] = [];
    // The original's tradeoff run stopped at the first case that failed.
    const bad = analyses.find((a) => 'error' in a.tradeoff);
    if (bad && 'error' in bad.tradeoff) await writeFileAtomic(txt, failed(bad.tradeoff.error));
    else {
      for (const a of analyses) if ('row' in a.tradeoff) rows.push(a.tradeoff.row);
      try {
        await writeFileAtomic(csv, tradeoffCsv(rows));
        await writeFileAtomic(txt, renderTradeoffReport(rows, collected[0]!.name, csv));
        s.emit('file', { path: csv, kind: 'tradeoff-matrix' });
      } catch (err) {
        await writeFileAtomic(txt, failed((err as Error).message));
      }
    }
    s.emit('file', { path: txt, kind: 'tradeoff-matrix' });
  }
  s.print(`[collect] trade-off outputs: ${runDir}`);
  s.print('[collect] done.');
  return outcomes;
}
