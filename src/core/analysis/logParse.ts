// Parsers for the client and server logs, as analyze_latency_breakdown.py's parse_* functions (the
// first pattern that matches a line wins), written as passes of the streaming reader (logStream.ts):
// each keeps only what the reports need — the two slowest spans per step, one column of numbers per
// field, counters — never the lines themselves.
import { extractNamedValues, matchers as P, tags } from './logPatterns';
import type { LineMatcher } from './lineMatcher';
import type { LinePass } from './logStream';
import { LosslessAgg } from './losslessAgg';
import { ownString, StepTable } from './stepRecords';
import { ValueBag } from './pyStats';

/**
 * Numbers per field (a field absent from a line is not pushed), and a row count.
 * With `keep` false only running sums are kept (what sum/len needs: the trade-off matrix), so a
 * tradeoff-only run holds nothing per row.
 */
export class Columns {
  count = 0;
  private readonly cols = new Map<string, ValueBag>();
  private readonly sums = new Map<string, { sum: number; n: number }>();
  constructor(private readonly keep = true) {}
  push(key: string, v: number | undefined): void {
    if (v === undefined) return;
    const s = this.sums.get(key);
    if (s) {
      s.sum += v;
      s.n++;
    } else this.sums.set(key, { sum: 0 + v, n: 1 });
    if (!this.keep) return;
    let col = this.cols.get(key);
    if (!col) this.cols.set(key, (col = new ValueBag()));
    col.add(v);
  }
  /** The values of a field (as a multiset: what mean, median and count need). */
  get(key: string): ValueBag {
    if (!this.keep) throw new Error('Columns: values were not kept');
    return this.cols.get(key) ?? new ValueBag();
  }
  /** `sum(xs) / len(xs) if xs else 0.0`, summed left to right as Python does. */
  sumMean(key: string): number {
    const s = this.sums.get(key);
    return s ? s.sum / s.n : 0;
  }
}

/** `Counter` of a text field. */
export type Counts = Map<string, number>;
const bump = (c: Counts, k: string) => {
  const n = c.get(k);
  if (n === undefined) c.set(ownString(k), 1);
  else c.set(k, n + 1);
};
function floats(line: string, p: LineMatcher, keys: readonly string[], into: Columns): void {
  // Parse every field first: a bad one raises before anything of the line is kept, as in Python.
  const vals = new Array<number>(keys.length);
  for (let i = 0; i < keys.length; i++) vals[i] = p.float(line, keys[i]!);
  for (let i = 0; i < keys.length; i++) into.push(keys[i]!, vals[i]);
  into.count++;
}

/** A ClientPass as a worker thread posted it (structured clone keeps the data, not the classes). */
export function reviveClientPass(o: ClientPass): ClientPass {
  Object.setPrototypeOf(o, ClientPass.prototype);
  StepTable.revive(o.stepNetwork);
  LosslessAgg.revive(o.lossless);
  return o;
}

export class ClientPass implements LinePass {
  readonly tags = [tags.networkSummary, tags.clientServerEnd, tags.stepLatency, tags.losslessProfile];
  readonly stepNetwork = new StepTable();
  /** ServerIdx as Python's int: exact beyond 2**53. */
  readonly serverDuration = new Map<bigint, number[]>();
  readonly stepLatency: number[] = [];
  readonly lossless: LosslessAgg;
  /** `keep`: what the latency breakdown needs (values for medians, per-step lossless records); the trade-off needs sums only. */
  constructor(keep = true) {
    this.lossless = new LosslessAgg(keep);
  }

  line(line: string, has: number): void {
    // `has`: which of `tags` the line holds (a matcher whose tag is absent cannot match).
    const n = P.networkSummary;
    if (has & 1 && n.match(line)) {
      const v = [
        n.float(line, 'send_kb'),
        n.float(line, 'recv_kb'),
        n.float(line, 'serialize_ms'),
        n.float(line, 'network_ms'),
        n.float(line, 'deserialize_ms'),
        n.float(line, 'total_ms'),
      ];
      return this.stepNetwork.add(n.text(line, 'step_id')!, v);
    }
    if (has & 2 && P.clientServerEnd.match(line)) {
      const idx = BigInt(P.clientServerEnd.text(line, 'server_idx')!);
      const d = P.clientServerEnd.float(line, 'duration_ms');
      const list = this.serverDuration.get(idx);
      if (list) list.push(d);
      else this.serverDuration.set(idx, [d]);
      return;
    }
    if (has & 4 && P.stepLatency.match(line)) return void this.stepLatency.push(P.stepLatency.float(line, 'latency_ms'));
    const l = P.losslessProfile;
    if (has & 8 && l.match(line)) {
      const g = (k: string) => l.text(line, k)!;
      this.lossless.add(g('dir'), g('stage'), g('step_id'), BigInt(g('batch')), extractNamedValues(g('body'), losslessKeys));
    }
  }
}

const losslessKeys = new Set([
  'serialize_base',
  'wrap',
  'compress',
  'raw',
  'wire',
  'ratio',
  'act_nnz_ratio',
  'serialize_calls',
  'compress_ok',
  'deserialize_base',
  'unwrap',
  'decompress',
  'deserialize_calls',
  'decompress_calls',
]);

export const s1Keys = ['compute_ms', 'elapsed_ms', 'wait_ms', 'launch_ms', 'efficiency_pct'] as const;
export const s2Keys = ['overlap_ms', 'stage2_compute_ms', 'efficiency_pct', 'strict_efficiency_pct', 'comparable_compute_ms'] as const;

/** `parse_server1_log`: [MBPIPE_SUMMARY]. */
export class Server1Pass implements LinePass {
  readonly tags = [tags.mbpipeSummary];
  constructor(readonly rows: Columns) {}
  line(line: string): void {
    if (P.mbpipeSummary.match(line)) floats(line, P.mbpipeSummary, s1Keys, this.rows);
  }
}

/** `parse_server2_log`: [CROSS_STAGE_OVERLAP_SUMMARY]. */
export class Server2Pass implements LinePass {
  readonly tags = [tags.crossStageSummary];
  constructor(readonly rows: Columns) {}
  line(line: string): void {
    if (P.crossStageSummary.match(line)) floats(line, P.crossStageSummary, s2Keys, this.rows);
  }
}

/** The per-step timing fields of [STEP_TIMING_BREAKDOWN], in the report's order. */
export const stepFields = [
  'queue_wait_ms',
  'deserialize_ms',
  'compute_ms',
  'serialize_ms',
  'residual_ms',
  'step_total_ms',
  'total_with_queue_ms',
  'cross_gpu_window_ms',
] as const;
const stepLossless: [string, string][] = [
  ['lossless_rx_base', 'lossless_rx_base_ms'],
  ['lossless_rx_decompress', 'lossless_rx_decompress_ms'],
  ['lossless_rx_wire', 'lossless_rx_wire_kb'],
  ['lossless_rx_raw', 'lossless_rx_raw_kb'],
  ['lossless_rx_ratio', 'lossless_rx_ratio'],
  ['lossless_tx_base', 'lossless_tx_base_ms'],
  ['lossless_tx_compress', 'lossless_tx_compress_ms'],
  ['lossless_tx_raw', 'lossless_tx_raw_kb'],
  ['lossless_tx_wire', 'lossless_tx_wire_kb'],
  ['lossless_tx_ratio', 'lossless_tx_ratio'],
];
const mbFields = ['queue_wait_sum_ms', 'deserialize_sum_ms', 'compute_sum_ms', 'serialize_ms', 'residual_ms', 'total_ms'] as const;
const mbLossless: [string, string][] = [
  ['lossless_rx_base_sum', 'lossless_rx_base_sum_ms'],
  ['lossless_rx_decompress_sum', 'lossless_rx_decompress_sum_ms'],
  ['lossless_rx_wire_sum', 'lossless_rx_wire_sum_kb'],
  ['lossless_rx_raw_sum', 'lossless_rx_raw_sum_kb'],
  ['lossless_rx_ratio', 'lossless_rx_ratio'],
  ['lossless_tx_base', 'lossless_tx_base_ms'],
  ['lossless_tx_compress', 'lossless_tx_compress_ms'],
  ['lossless_tx_raw', 'lossless_tx_raw_kb'],
  ['lossless_tx_wire', 'lossless_tx_wire_kb'],
  ['lossless_tx_ratio', 'lossless_tx_ratio'],
];
const handlerFields = ['queue_wait_ms', 'push_schedule_ms', 'response_emit_ms', 'handler_total_ms'] as const;
const stepLosslessKeys = new Set(stepLossless.map(([k]) => k));
const mbLosslessKeys = new Set(mbLossless.map(([k]) => k));

/** What `parse_detailed_server_logs` keeps of one server log. */
export interface ServerDetail {
  steps: Columns;
  stepModes: Counts;
  stepSources: Counts;
  stepQueueSources: Counts;
  mb: Columns;
  mbSources: Counts;
  handler: Columns;
  handlerSources: Counts;
  handlerQueueSources: Counts;
}

/** One ServerDetail filled by both servers' passes, server1's log first: the rows' order is the original's. */
export function newServerDetail(keep: boolean): ServerDetail {
  return {
    steps: new Columns(keep),
    stepModes: new Map(),
    stepSources: new Map(),
    stepQueueSources: new Map(),
    mb: new Columns(keep),
    mbSources: new Map(),
    handler: new Columns(keep),
    handlerSources: new Map(),
    handlerQueueSources: new Map(),
  };
}

/** `parse_detailed_server_logs` over one server log (`source` is "server1" or "server2"). */
export class DetailPass implements LinePass {
  readonly tags = [tags.stepTimingBreakdown, tags.stepTimingBreakdownMb, tags.handlerStepTiming];
  constructor(
    private readonly source: string,
    readonly d: ServerDetail,
  ) {}

  line(line: string, has: number): void {
    const d = this.d;
    const st = P.stepTimingBreakdown;
    if (has & 1 && st.match(line)) {
      floats(line, st, stepFields, d.steps);
      const extra = extractNamedValues(line, stepLosslessKeys);
      for (const [k, field] of stepLossless) d.steps.push(field, extra.get(k));
      bump(d.stepModes, st.text(line, 'mode')!);
      bump(d.stepSources, this.source);
      bump(d.stepQueueSources, st.text(line, 'queue_source')!);
      return;
    }
    const mb = P.stepTimingBreakdownMb;
    if (has & 2 && mb.match(line)) {
      const vals = mbFields.map((k) => mb.float(line, k));
      const opt = (['queue_wait_pre_ms', 'queue_wait_inter_ms', 'total_with_pre_wait_ms'] as const).map((k) => [k, mb.optFloat(line, k)] as const);
      const extra = extractNamedValues(line, mbLosslessKeys);
      mbFields.forEach((k, i) => d.mb.push(k, vals[i]));
      for (const [k, v] of opt) d.mb.push(k, v);
      for (const [k, field] of mbLossless) d.mb.push(field, extra.get(k));
      d.mb.count++;
      bump(d.mbSources, this.source);
      return;
    }
    const h = P.handlerStepTiming;
    if (has & 4 && h.match(line)) {
      floats(line, h, handlerFields, d.handler);
      bump(d.handlerSources, this.source);
      bump(d.handlerQueueSources, h.text(line, 'queue_source')!);
    }
  }
}
