// The second half of the latency breakdown: client span durations, then everything the servers log
// (micro-batch pipeline, cross-stage overlap, step breakdowns, handler overhead), then derived proxies.
import { stepFields, type ClientPass, type Columns, type Counts, type ServerDetail } from './logParse';
import { comparePy, fmt2, padLeft } from './pyFloat';
import { exactMean, median } from './pyStats';
import type { StepTable } from './stepRecords';
import { rule, statHeader, statRow } from './reportFormat';

interface Parsed {
  clientLog: ClientPass;
  steps: StepTable;
  s1: Columns;
  s2: Columns;
  detail: ServerDetail;
}

/** `Counter(...)` printed as sorted `k:v` pairs joined by commas. */
function counts(c: Counts): string {
  return [...c]
    .sort(([a], [b]) => comparePy(a, b))
    .map(([k, v]) => `${k}:${v}`)
    .join(',');
}

export function renderServerSections(out: string[], d: Parsed): void {
  const p = (s = '') => out.push(s);
  const section = (title: string) => {
    p();
    p(title);
    p(rule);
  };
  const mean = (xs: readonly number[]) => fmt2(exactMean(xs));

  section('Client server-span duration (from [CLIENT_SERVER_END]):');
  p(`${padLeft('server_idx', 10)} ${padLeft('mean_ms', 12)} ${padLeft('median_ms', 12)} ${padLeft('count', 10)}`);
  p(rule);
  if (d.clientLog.serverDuration.size) {
    for (const idx of [...d.clientLog.serverDuration.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const vals = d.clientLog.serverDuration.get(idx)!;
      p(`${padLeft(String(idx), 10)} ${padLeft(mean(vals), 12)} ${padLeft(fmt2(median(vals)), 12)} ${padLeft(String(vals.length), 10)}`);
    }
  } else p('No [CLIENT_SERVER_END] entries found.');
  p(rule);

  section('Server1 micro-batch compute/offload (from [MBPIPE_SUMMARY]):');
  if (d.s1.count) {
    const m = (k: string) => fmt2(d.s1.get(k).mean());
    p(
      `compute_ms_mean=${m('compute_ms')}, elapsed_ms_mean=${m('elapsed_ms')}, wait_ms_mean=${m('wait_ms')}, launch_ms_mean=${m('launch_ms')}, efficiency_pct_mean=${m('efficiency_pct')}, samples=${d.s1.count}`,
    );
  } else p('No [MBPIPE_SUMMARY] entries found in server1 log.');
  p(rule);

  section('Server2 cross-stage overlap (from [CROSS_STAGE_OVERLAP_SUMMARY]):');
  if (d.s2.count) {
    const m = (k: string) => fmt2(d.s2.get(k).mean());
    p(
      `stage2_compute_ms_mean=${m('stage2_compute_ms')}, overlap_ms_mean=${m('overlap_ms')}, efficiency_pct_mean=${m('efficiency_pct')}, strict_efficiency_pct_mean=${m('strict_efficiency_pct')}, samples=${d.s2.count}`,
    );
  } else p('No [CROSS_STAGE_OVERLAP_SUMMARY] entries found in server2 log.');
  p(rule);

  const dd = d.detail;
  const { steps: stepRows, mb: mbRows, handler: handlerRows } = dd;
  section('Server detailed step breakdown (from [STEP_TIMING_BREAKDOWN]):');
  if (stepRows.count) {
    p(`modes=${counts(dd.stepModes)} | sources=${counts(dd.stepSources)} | queue_sources=${counts(dd.stepQueueSources)}`);
    p(statHeader);
    for (const k of stepFields) p(statRow(k, stepRows.get(k)));
  } else p('No [STEP_TIMING_BREAKDOWN] entries found.');
  p(rule);

  const optionalStats = (title: string, rows: Columns, metrics: [string, string][], empty: string) => {
    section(title);
    p(statHeader);
    p(rule);
    let printed = false;
    for (const [k, label] of metrics) {
      const vals = rows.get(k);
      if (!vals.count) continue;
      printed = true;
      p(statRow(label, vals));
    }
    if (!printed) p(empty);
    p(rule);
  };
  const lossless = (prefix: 'rx' | 'tx', sum: string): [string, string][] => {
    const base = prefix === 'rx' ? [`base${sum}_ms`, `decompress${sum}_ms`, `wire${sum}_kb`, `raw${sum}_kb`] : ['base_ms', 'compress_ms', 'raw_kb', 'wire_kb'];
    return [
      ...base.map((b): [string, string] => [`lossless_${prefix}_${b}`, `lossless_${prefix}_${b}`]),
      [`lossless_${prefix}_ratio`, `lossless_${prefix}_wire_over_raw_ratio`],
    ];
  };
  optionalStats(
    'Server lossless profiling (from [STEP_TIMING_BREAKDOWN]):',
    stepRows,
    [...lossless('rx', ''), ...lossless('tx', '')],
    'No lossless fields found in [STEP_TIMING_BREAKDOWN] entries.',
  );

  section('Server merged micro-batch step breakdown (from [STEP_TIMING_BREAKDOWN_MB]):');
  if (mbRows.count) {
    p(`sources=${counts(dd.mbSources)}`);
    p(statHeader);
    for (const k of ['queue_wait_sum_ms', 'deserialize_sum_ms', 'compute_sum_ms', 'serialize_ms', 'residual_ms', 'total_ms']) p(statRow(k, mbRows.get(k)));
    for (const k of ['queue_wait_pre_ms', 'queue_wait_inter_ms', 'total_with_pre_wait_ms']) {
      const vals = mbRows.get(k);
      if (vals.count) p(statRow(k, vals));
    }
    p('Note: queue_wait_sum may not be additive with total across micro-batches.');
  } else p('No [STEP_TIMING_BREAKDOWN_MB] entries found.');
  p(rule);

  optionalStats(
    'Server micro-batch lossless profiling (from [STEP_TIMING_BREAKDOWN_MB]):',
    mbRows,
    [...lossless('rx', '_sum'), ...lossless('tx', '')],
    'No lossless fields found in [STEP_TIMING_BREAKDOWN_MB] entries.',
  );

  section('Handler-side step overhead (from [HANDLER_STEP_TIMING]):');
  if (handlerRows.count) {
    p(`sources=${counts(dd.handlerSources)} | queue_sources=${counts(dd.handlerQueueSources)}`);
    p(statHeader);
    for (const k of ['queue_wait_ms', 'push_schedule_ms', 'response_emit_ms', 'handler_total_ms']) p(statRow(k, handlerRows.get(k)));
  } else p('No [HANDLER_STEP_TIMING] entries found.');
  p(rule);

  const stepLatency = d.clientLog.stepLatency;
  if (d.steps.size && stepLatency.length && d.s1.count && d.s2.count) {
    const meanStep = exactMean(stepLatency);
    const net = exactMean(d.steps.column('network_total_ms'));
    const ser = exactMean(d.steps.column('serialize_total_ms'));
    const deser = exactMean(d.steps.column('deserialize_total_ms'));
    const s1Elapsed = d.s1.get('elapsed_ms').mean();
    const s2Compute = d.s2.get('stage2_compute_ms').mean();
    const overlap = d.s2.get('overlap_ms').mean();
    p();
    p('Derived proxies (approximate, for trend comparison only):');
    p(rule);
    p(`mean_step_latency_ms              : ${fmt2(meanStep)}`);
    p(`mean_client_network_stack_ms     : ${fmt2(ser + net + deser)}`);
    p(`implied_non_network_ms           : ${fmt2(meanStep - (ser + deser + net))}`);
    p(`overlap_adjusted_s1s2_compute_ms : ${fmt2(s1Elapsed + s2Compute - overlap)}`);
    p(rule);
    p('Note: exact queue/scheduling split needs additional server-side step-level timestamps.');
  }
}
