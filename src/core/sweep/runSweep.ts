// Entry points for the editor and the CLI: runSweep (queue or sequenced, with events) and
// collectSweep (`airlock sweep collect`). One SSH connection per host is shared by every command,
// log tail and SFTP copy of the run.
import { collectRun, type CollectOptions } from './collectRun';
import { runQueue } from './queueRun';
import { runSequenced } from './sequencedRun';
import type { SweepConfig } from './sweepConfig';
import type { CaseOutcome, SweepEventListener } from './sweepEvents';
import { planSweep, type PlanOptions, type SweepPlan } from './sweepPlan';
import type { SweepMode } from './sweepSchedule';
import { SweepSession } from './sweepSession';
import { openSweepHosts, type SweepHostOptions } from './sweepHosts';
import { recordSweepProvenance } from '../provenance/sweepProvenance';

export interface RunSweepOptions extends PlanOptions, SweepHostOptions {
  dryRun?: boolean;
  /** Stream each role's remote log as `log` events (`tail -F`). Default true. */
  tailLogs?: boolean;
  /** Queue mode: collect logs and write the latency breakdowns and trade-off matrix at the end. Default true. */
  collect?: boolean;
}

export interface SweepResult {
  plan: SweepPlan;
  cancelled: boolean;
  cases: CaseOutcome[];
}

/** The mode a config was written for: the sequenced sweep's keys, else the queue. */
function inferMode(cfg: SweepConfig): SweepMode {
  return [...cfg.schedule.keys()].some((k) => /^wait_after_.+_sec$|^inter_case_sec$|^reinstall_/.test(k)) ? 'sequenced' : 'queue';
}

export async function runSweep(config: SweepConfig, opts: RunSweepOptions, signal: AbortSignal, onEvent: SweepEventListener): Promise<SweepResult> {
  const plan = planSweep(config, { ...opts, mode: opts.mode ?? inferMode(config) });
  return withSession(plan, opts, signal, onEvent, async (s) => {
    const cases = plan.mode === 'queue' ? await runQueue(s, opts.collect !== false) : await runSequenced(s);
    if (plan.mode === 'queue' && opts.collect !== false) return collectRun(s, { outcomes: cases });
    return cases;
  });
}

export async function collectSweep(
  config: SweepConfig,
  opts: RunSweepOptions & CollectOptions,
  signal: AbortSignal,
  onEvent: SweepEventListener,
): Promise<SweepResult> {
  const plan = planSweep(config, { ...opts, mode: opts.mode ?? inferMode(config), renderJobs: false });
  return withSession(plan, { ...opts, tailLogs: false }, signal, onEvent, (s) => collectRun(s, opts));
}

async function withSession(
  plan: SweepPlan,
  opts: RunSweepOptions,
  signal: AbortSignal,
  onEvent: SweepEventListener,
  body: (s: SweepSession) => Promise<CaseOutcome[]>,
): Promise<SweepResult> {
  // Core builds the pool and runners itself, so every caller gets the config's ssh_options, accept-new and stop_grace_sec.
  const hosts = await openSweepHosts(plan, opts);
  const session = new SweepSession(plan, !!opts.dryRun, (h) => hosts.runnerFor(h), signal, onEvent, opts.tailLogs !== false);
  for (const w of plan.warnings) session.warn(`airlock sweep: warning: ${w}`);
  const caseInfo = (c: SweepPlan['cases'][number]) => ({
    caseIndex: c.index,
    caseName: c.name,
    caseTag: c.tag,
    roles: [
      ...c.background.map((j) => ({ role: j.role, host: j.host.host, foreground: false })),
      { role: c.foreground.role, host: c.foreground.host.host, foreground: true },
    ],
  });
  session.emit('plan', {
    mode: plan.mode,
    runTag: plan.runTag,
    localRoot: plan.localRoot,
    resultsRoot: plan.schedule.resultsRoot,
    dryRun: !!opts.dryRun,
    cases: plan.cases.map(caseInfo),
    shared: plan.shared.length
      ? {
          caseIndex: -1,
          caseName: 'shared',
          caseTag: `${plan.runTag}_shared`,
          roles: plan.shared.map((j) => ({ role: j.role, host: j.host.host, foreground: false })),
        }
      : null,
  });
  for (const c of plan.cases) session.emit('case', { caseIndex: c.index, caseName: c.name, caseTag: c.tag, state: 'pending' });
  if (!opts.dryRun)
    await recordSweepProvenance(
      opts.localCwd ?? process.cwd(),
      plan.cases.map((c) => c.localDir),
    );
  try {
    const cases = await body(session);
    session.emit('end', { cancelled: session.cancelled, cases });
    return { plan, cancelled: session.cancelled, cases };
  } finally {
    hosts.dispose();
  }
}
