// Parsers for the client and server logs, as analyze_latency_breakdown.py's parse_* functions (the
// first pattern that matches a line wins), written as passes of the streaming reader (logStream.ts):
// each keeps only what the reports need — the two slowest spans per step, one column of numbers per
// field, counters — never the lines themselves.
import { extractNamedValues, group, groupFloat, optionalFloat, patterns as P, tags, type Pattern } from './logPatterns';
import type { LinePass } from './logStream';
import { LosslessAgg } from './losslessAgg';

export interface NetworkEntry { send_kb: number; recv_kb: number; serialize_ms: number; network_ms: number; deserialize_ms: number; total_ms: number }
/** The two entries with the largest network_ms, earlier first on ties (Python's stable sorted(reverse=True)). */
export interface TopTwo { e0: NetworkEntry; e1?: NetworkEntry }

export function addTopTwo(map: Map<string, TopTwo>, id: string, e: NetworkEntry): void {
  const t = map.get(id);
  if (!t) map.set(id, { e0: e });
  else if (e.network_ms > t.e0.network_ms) {
    t.e1 = t.e0;
    t.e0 = e;
  } else if (!t.e1 || e.network_ms > t.e1.network_ms) t.e1 = e;
}

/** Numbers per field in line order (a field absent from a line is not pushed), and a row count. */
export class Columns {
  count = 0;
  private readonly cols = new Map<string, number[]>();
  push(key: string, v: number | undefined): void {
    if (v === undefined) return;
    const col = this.cols.get(key);
    if (col) col.push(v);
    else this.cols.set(key, [v]);
  }
  get(key: string): number[] {
    return this.cols.get(key) ?? [];
  }
  /** This file's columns followed by `next`'s (server1 then server2, as the original's row list). */
  concat(next: Columns): Columns {
    const out = new Columns();
    out.count = this.count + next.count;
    for (const k of new Set([...this.cols.keys(), ...next.cols.keys()])) out.cols.set(k, [...this.get(k), ...next.get(k)]);
    return out;
  }
}

/** `Counter` of a text field. */
export type Counts = Map<string, number>;
const bump = (c: Counts, k: string) => c.set(k, (c.get(k) ?? 0) + 1);
export function mergeCounts(a: Counts, b: Counts): Counts {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

function floats(m: RegExpExecArray, p: Pattern, keys: readonly string[], into: Columns): void {
  // Parse every field first: a bad one raises before anything of the line is kept, as in Python.
  const vals = keys.map((k) => groupFloat(m, p, k));
  keys.forEach((k, i) => into.push(k, vals[i]));
  into.count++;
}

export class ClientPass implements LinePass {
  readonly tags = [tags.networkSummary, tags.clientServerEnd, tags.stepLatency, tags.losslessProfile];
  readonly stepNetwork = new Map<string, TopTwo>();
  /** ServerIdx as Python's int: exact beyond 2**53. */
  readonly serverDuration = new Map<bigint, number[]>();
  readonly stepLatency: number[] = [];
  readonly lossless = new LosslessAgg();

  line(line: string): void {
    const n = P.networkSummary;
    let m = n.re.exec(line);
    if (m) {
      const e = { send_kb: groupFloat(m, n, 'send_kb'), recv_kb: groupFloat(m, n, 'recv_kb'), serialize_ms: groupFloat(m, n, 'serialize_ms'),
        network_ms: groupFloat(m, n, 'network_ms'), deserialize_ms: groupFloat(m, n, 'deserialize_ms'), total_ms: groupFloat(m, n, 'total_ms') };
      return addTopTwo(this.stepNetwork, group(m, n, 'step_id')!, e);
    }
    if ((m = P.clientServerEnd.re.exec(line))) {
      const idx = BigInt(group(m, P.clientServerEnd, 'server_idx')!);
      const d = groupFloat(m, P.clientServerEnd, 'duration_ms');
      const list = this.serverDuration.get(idx);
      if (list) list.push(d);
      else this.serverDuration.set(idx, [d]);
      return;
    }
    if ((m = P.stepLatency.re.exec(line))) return void this.stepLatency.push(groupFloat(m, P.stepLatency, 'latency_ms'));
    const l = P.losslessProfile;
    if ((m = l.re.exec(line))) {
      const g = (k: string) => group(m!, l, k)!;
      this.lossless.add(g('dir'), g('stage'), g('step_id'), BigInt(g('batch')), extractNamedValues(g('body'), losslessKeys));
    }
  }
}

const losslessKeys = new Set(['serialize_base', 'wrap', 'compress', 'raw', 'wire', 'ratio', 'act_nnz_ratio', 'serialize_calls', 'compress_ok',
  'deserialize_base', 'unwrap', 'decompress', 'deserialize_calls', 'decompress_calls']);

export const s1Keys = ['compute_ms', 'elapsed_ms', 'wait_ms', 'launch_ms', 'efficiency_pct'] as const;
export const s2Keys = ['overlap_ms', 'stage2_compute_ms', 'efficiency_pct', 'strict_efficiency_pct', 'comparable_compute_ms'] as const;

/** `parse_server1_log`: [MBPIPE_SUMMARY]. */
export class Server1Pass implements LinePass {
  readonly tags = [tags.mbpipeSummary];
  readonly rows = new Columns();
  line(line: string): void {
    const m = P.mbpipeSummary.re.exec(line);
    if (m) floats(m, P.mbpipeSummary, s1Keys, this.rows);
  }
}

/** `parse_server2_log`: [CROSS_STAGE_OVERLAP_SUMMARY]. */
export class Server2Pass implements LinePass {
  readonly tags = [tags.crossStageSummary];
  readonly rows = new Columns();
  line(line: string): void {
    const m = P.crossStageSummary.re.exec(line);
    if (m) floats(m, P.crossStageSummary, s2Keys, this.rows);
  }
}

const stepFields = ['queue_wait_ms', 'deserialize_ms', 'compute_ms', 'serialize_ms', 'residual_ms', 'step_total_ms', 'total_with_queue_ms', 'cross_gpu_window_ms'] as const;
const stepLossless: [string, string][] = [
  ['lossless_rx_base', 'lossless_rx_base_ms'], ['lossless_rx_decompress', 'lossless_rx_decompress_ms'], ['lossless_rx_wire', 'lossless_rx_wire_kb'],
  ['lossless_rx_raw', 'lossless_rx_raw_kb'], ['lossless_rx_ratio', 'lossless_rx_ratio'], ['lossless_tx_base', 'lossless_tx_base_ms'],
  ['lossless_tx_compress', 'lossless_tx_compress_ms'], ['lossless_tx_raw', 'lossless_tx_raw_kb'], ['lossless_tx_wire', 'lossless_tx_wire_kb'],
  ['lossless_tx_ratio', 'lossless_tx_ratio'],
];
const mbFields = ['queue_wait_sum_ms', 'deserialize_sum_ms', 'compute_sum_ms', 'serialize_ms', 'residual_ms', 'total_ms'] as const;
const mbLossless: [string, string][] = [
  ['lossless_rx_base_sum', 'lossless_rx_base_sum_ms'], ['lossless_rx_decompress_sum', 'lossless_rx_decompress_sum_ms'],
  ['lossless_rx_wire_sum', 'lossless_rx_wire_sum_kb'], ['lossless_rx_raw_sum', 'lossless_rx_raw_sum_kb'], ['lossless_rx_ratio', 'lossless_rx_ratio'],
  ['lossless_tx_base', 'lossless_tx_base_ms'], ['lossless_tx_compress', 'lossless_tx_compress_ms'], ['lossless_tx_raw', 'lossless_tx_raw_kb'],
  ['lossless_tx_wire', 'lossless_tx_wire_kb'], ['lossless_tx_ratio', 'lossless_tx_ratio'],
];
const handlerFields = ['queue_wait_ms', 'push_schedule_ms', 'response_emit_ms', 'handler_total_ms'] as const;
const stepLosslessKeys = new Set(stepLossless.map(([k]) => k));
const mbLosslessKeys = new Set(mbLossless.map(([k]) => k));

/** What `parse_detailed_server_logs` keeps of one server log. */
export interface ServerDetail {
  steps: Columns; stepModes: Counts; stepSources: Counts; stepQueueSources: Counts;
  mb: Columns; mbSources: Counts;
  handler: Columns; handlerSources: Counts; handlerQueueSources: Counts;
}

export function mergeDetail(a: ServerDetail, b: ServerDetail): ServerDetail {
  return {
    steps: a.steps.concat(b.steps), stepModes: mergeCounts(a.stepModes, b.stepModes), stepSources: mergeCounts(a.stepSources, b.stepSources),
    stepQueueSources: mergeCounts(a.stepQueueSources, b.stepQueueSources), mb: a.mb.concat(b.mb), mbSources: mergeCounts(a.mbSources, b.mbSources),
    handler: a.handler.concat(b.handler), handlerSources: mergeCounts(a.handlerSources, b.handlerSources),
    handlerQueueSources: mergeCounts(a.handlerQueueSources, b.handlerQueueSources),
  };
}

/** `parse_detailed_server_logs` over one server log (`source` is "server1" or "server2"). */
export class DetailPass implements LinePass {
  readonly tags = [tags.stepTimingBreakdown, tags.stepTimingBreakdownMb, tags.handlerStepTiming];
  readonly d: ServerDetail = {
    steps: new Columns(), stepModes: new Map(), stepSources: new Map(), stepQueueSources: new Map(),
    mb: new Columns(), mbSources: new Map(), handler: new Columns(), handlerSources: new Map(), handlerQueueSources: new Map(),
  };
  constructor(private readonly source: string) {}

  line(line: string): void {
    const d = this.d;
    const st = P.stepTimingBreakdown;
    let m = st.re.exec(line);
    if (m) {
      const vals = stepFields.map((k) => groupFloat(m!, st, k));
      const extra = extractNamedValues(line, stepLosslessKeys);
      stepFields.forEach((k, i) => d.steps.push(k, vals[i]));
      for (const [k, field] of stepLossless) d.steps.push(field, extra.get(k));
      d.steps.count++;
      bump(d.stepModes, group(m, st, 'mode')!);
      bump(d.stepSources, this.source);
      bump(d.stepQueueSources, group(m, st, 'queue_source')!);
      return;
    }
    const mb = P.stepTimingBreakdownMb;
    if ((m = mb.re.exec(line))) {
      const vals = mbFields.map((k) => groupFloat(m!, mb, k));
      const opt = (['queue_wait_pre_ms', 'queue_wait_inter_ms', 'total_with_pre_wait_ms'] as const).map((k) => [k, optionalFloat(m!, mb, k)] as const);
      const extra = extractNamedValues(line, mbLosslessKeys);
      mbFields.forEach((k, i) => d.mb.push(k, vals[i]));
      for (const [k, v] of opt) d.mb.push(k, v);
      for (const [k, field] of mbLossless) d.mb.push(field, extra.get(k));
      d.mb.count++;
      bump(d.mbSources, this.source);
      return;
    }
    const h = P.handlerStepTiming;
    if ((m = h.re.exec(line))) {
      floats(m, h, handlerFields, d.handler);
      bump(d.handlerSources, this.source);
      bump(d.handlerQueueSources, group(m, h, 'queue_source')!);
    }
  }
}
