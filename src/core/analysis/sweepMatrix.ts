// What the sequenced sweep writes per case (analysis_summary.txt) and per run (sweep_matrix.csv/.txt),
// with run_sequenced_tradeoff_sweep.py's own, lighter analysis (statistics.mean; short step regex).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { extractNamedValues, matchers as P, tags } from './logPatterns';
import { firstFailure, openLog, scanLog, type LinePass } from './logStream';
import { writeCsv, type CsvValue } from './matrixCsv';
import { fmt2, padLeft, padRight, pySlice } from './pyFloat';
import { ExactSum, exactMean } from './pyStats';
import { StepTable } from './stepRecords';
import { pctDelta } from './tradeoffReport';

export const sweepMetricKeys = [
  'mean_step_latency_ms',
  'mean_network_total_ms',
  'mean_send_total_kb',
  'mean_recv_total_kb',
  'mean_queue_wait_ms',
  'mean_tx_wire_over_raw_ratio',
  'mean_rx_wire_over_raw_ratio',
] as const;
export type SweepMetrics = Record<(typeof sweepMetricKeys)[number] | 'step_count', number>;

export const sweepIntKeys = [
  'batch_size',
  'micro_batch_size',
  'compression',
  'offload',
  'policy_w_gpu_percent',
  'policy_w_cpu_percent',
  'policy_cache_gpu_percent',
  'policy_cache_cpu_percent',
  'policy_act_gpu_percent',
  'policy_act_cpu_percent',
  'eval_tokens',
] as const;
export const sweepColumns = ['case_name', 'case_tag', ...sweepIntKeys, ...sweepMetricKeys, 'step_count'] as const;

export type SweepRow = { case_name: string; case_tag: string; error: string } & Record<(typeof sweepIntKeys)[number], bigint> & SweepMetrics;

/** The metrics of a case whose logs are missing (or of a dry run): zeros, ratios 1.0. */
export const emptySweepMetrics = (): SweepMetrics => ({
  step_count: 0,
  mean_step_latency_ms: 0,
  mean_network_total_ms: 0,
  mean_send_total_kb: 0,
  mean_recv_total_kb: 0,
  mean_queue_wait_ms: 0,
  mean_tx_wire_over_raw_ratio: 1,
  mean_rx_wire_over_raw_ratio: 1,
});

/** `_analyze_case_logs(case_dir)`: reads inference.log, server1.log and server2.log where they exist (streaming). */
export async function analyzeCaseDir(caseDir: string): Promise<SweepMetrics> {
  const steps = new StepTable();
  const latencies: number[] = [];
  const tx = new ExactSum();
  const rx = new ExactSum();
  const queue = new ExactSum();
  const scan = async (path: string, pass: LinePass) => {
    if (!existsSync(path)) return;
    const [failure] = await scanLog(await openLog(path), [pass]);
    const err = await firstFailure([{ path, shown: path, failure }]);
    if (err) throw err;
  };
  const ratioKeys = new Set(['raw', 'wire', 'ratio']);
  await scan(join(caseDir, 'inference.log'), {
    tags: [tags.networkSummary, tags.stepLatency, tags.losslessProfile],
    line(line) {
      const n = P.networkSummary;
      if (n.match(line)) {
        // Only these three feed the sweep's metrics; the rest are zero so the step records line up.
        const send = n.float(line, 'send_kb');
        const recv = n.float(line, 'recv_kb');
        return steps.add(n.text(line, 'step_id')!, [send, recv, 0, n.float(line, 'network_ms'), 0, 0]);
      }
      if (P.stepLatency.match(line)) return void latencies.push(P.stepLatency.float(line, 'latency_ms'));
      const l = P.losslessProfile;
      if (l.match(line)) {
        const v = extractNamedValues(l.text(line, 'body')!, ratioKeys);
        const raw = v.get('raw') ?? 0;
        const ratio = raw > 0 ? (v.get('wire') ?? 0) / raw : (v.get('ratio') ?? 1);
        const dir = l.text(line, 'dir');
        if (dir === 'tx') tx.add(ratio);
        else if (dir === 'rx') rx.add(ratio);
      }
    },
  });
  for (const name of ['server1.log', 'server2.log']) {
    await scan(join(caseDir, name), {
      tags: [tags.stepTimingBreakdown],
      line(line) {
        if (P.stepTimingBreakdownShort.match(line)) queue.add(P.stepTimingBreakdownShort.float(line, 'queue_wait_ms'));
      },
    });
  }
  return {
    step_count: latencies.length,
    mean_step_latency_ms: exactMean(latencies),
    mean_network_total_ms: exactMean(steps.column('network_total_ms')),
    mean_send_total_kb: exactMean(steps.column('send_total_kb')),
    mean_recv_total_kb: exactMean(steps.column('recv_total_kb')),
    mean_queue_wait_ms: queue.mean(),
    mean_tx_wire_over_raw_ratio: tx.count ? tx.mean() : 1,
    mean_rx_wire_over_raw_ratio: rx.count ? rx.mean() : 1,
  };
}

/** analysis_summary.txt */
export function renderCaseSummary(row: SweepRow): string {
  const lines = [`case_name=${row.case_name}`, `case_tag=${row.case_tag}`, ...sweepIntKeys.map((k) => `${k}=${row[k]}`), ''];
  for (const k of sweepMetricKeys) lines.push(`${k}=${fmt2(row[k])}`);
  lines.push(`step_count=${Math.trunc(row.step_count)}`);
  return lines.join('\n') + '\n';
}

export function sweepMatrixCsv(rows: readonly SweepRow[]): string {
  return writeCsv(sweepColumns, rows as unknown as Record<string, CsvValue>[]);
}

/** sweep_matrix.txt */
export function renderSweepMatrix(runTag: string, rows: readonly SweepRow[]): string {
  const name = (r: SweepRow) => padRight(pySlice(r.case_name, 24), 24);
  const out = ['='.repeat(120), `Sweep Matrix (run_tag=${runTag})`, '='.repeat(120)];
  const head: [string, number][] = [
    ['off', 4],
    ['cmp', 4],
    ['bs', 6],
    ['mb', 6],
    ['c_gpu', 6],
    ['c_cpu', 6],
    ['eval', 6],
    ['step_ms', 10],
    ['net_ms', 10],
    ['queue_ms', 10],
    ['send_kb', 10],
    ['recv_kb', 10],
  ];
  out.push(`${padRight('case_name', 24)} ${head.map(([t, w]) => padLeft(t, w)).join(' ')}`);
  out.push('-'.repeat(120));
  for (const r of rows) {
    const ints = [r.offload, r.compression, r.batch_size, r.micro_batch_size, r.policy_cache_gpu_percent, r.policy_cache_cpu_percent, r.eval_tokens];
    const floats = [r.mean_step_latency_ms, r.mean_network_total_ms, r.mean_queue_wait_ms, r.mean_send_total_kb, r.mean_recv_total_kb];
    out.push(`${name(r)} ${[...ints.map((v, i) => padLeft(String(v), head[i]![1])), ...floats.map((v) => padLeft(fmt2(v), 10))].join(' ')}`);
  }
  out.push('-'.repeat(120));
  const base = rows[0];
  if (base) {
    out.push(`Baseline: ${base.case_name}`);
    out.push(`${padRight('case_name', 24)} ${['d_step%', 'd_net%', 'd_queue%', 'd_send%', 'd_recv%'].map((t) => padLeft(t, 10)).join(' ')}`);
    const keys = ['mean_step_latency_ms', 'mean_network_total_ms', 'mean_queue_wait_ms', 'mean_send_total_kb', 'mean_recv_total_kb'] as const;
    for (const r of rows) out.push(`${name(r)} ${keys.map((k) => padLeft(fmt2(pctDelta(r[k], base[k])), 10)).join(' ')}`);
    out.push('Interpretation: negative d_step%/d_net%/d_queue% is better.');
  }
  return out.join('\n') + '\n';
}
