// The analysis step of `sweep collect` (collect_and_analyze.py ran analyze_latency_breakdown.py per
// case, then analyze_tradeoff_matrix.py over all cases, each reading every log again). Here each
// case's logs are read once for both, and cases are analysed in parallel on worker threads, up to
// the core count. Results are applied in case order, so the files and messages are the original's.
import { availableParallelism } from 'node:os';
import { ask, startWorker, workerSource } from './analysisThreads';
import { readCaseLogs, type CaseLogs } from './caseLogs';
import { renderLatencyBreakdown } from './latencyReport';
import { caseInts, collectCaseMetrics, parseCaseSpec, tradeoffRow, type TradeoffRow } from './tradeoff';

export interface CollectCase {
  clientLog: string;
  server1Log: string;
  server2Log: string;
  /** The `--case` spec the original passed to analyze_tradeoff_matrix.py for this case. */
  spec: string;
}

/** Per case: the latency breakdown text or the error message, and the trade-off row or the error message. */
export interface CaseAnalysis {
  latency: { text: string } | { error: string };
  tradeoff: { row: TradeoffRow } | { error: string };
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Analyses one case in this thread. */
export async function analyzeCollectedCase(c: CollectCase): Promise<CaseAnalysis> {
  let logs: CaseLogs | undefined;
  let latency: CaseAnalysis['latency'];
  try {
    logs = await readCaseLogs(c.clientLog, c.server1Log, c.server2Log);
    latency = { text: renderLatencyBreakdown(logs) };
  } catch (err) {
    latency = { error: message(err) };
  }
  let tradeoff: CaseAnalysis['tradeoff'];
  try {
    const spec = parseCaseSpec(c.spec);
    const ints = caseInts(spec);
    // The spec's paths are the same logs unless the path itself held a ',' (then the original read other files).
    const same = spec.get('client') === c.clientLog && spec.get('server1') === c.server1Log && spec.get('server2') === c.server2Log;
    if (same && 'error' in latency) throw new Error(latency.error);
    tradeoff = { row: same && logs ? tradeoffRow(spec.get('name')!, ints, logs) : await collectCaseMetrics(spec) };
  } catch (err) {
    tradeoff = { error: message(err) };
  }
  return { latency, tradeoff };
}

/** All cases, `parallel` at a time on worker threads (in this thread when there is no worker script or one case). */
export async function analyzeCollected(cases: readonly CollectCase[], parallel = availableParallelism()): Promise<CaseAnalysis[]> {
  const script = cases.length > 1 && parallel > 1 ? workerSource() : undefined;
  if (!script) {
    const out: CaseAnalysis[] = [];
    for (const c of cases) out.push(await analyzeCollectedCase(c));
    return out;
  }
  const out: CaseAnalysis[] = new Array(cases.length);
  let next = 0;
  const lane = async () => {
    const worker = startWorker(script);
    try {
      while (next < cases.length) {
        const i = next++;
        out[i] = await ask<CaseAnalysis>(worker, cases[i]);
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, cases.length) }, lane));
  return out;
}
