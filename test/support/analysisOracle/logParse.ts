// Frozen copy of src/core/analysis/logParse.ts at 803aebc (before streaming): the reference the new
// implementation is compared with in test/unit/analysis/oracle.unit.test.ts and bench/analysis.bench.ts.
// Parsers for the client and server logs, line by line and in file order, exactly as
// analyze_latency_breakdown.py's parse_* functions (the first pattern that matches a line wins).
import {
  clientServerEndRe, crossStageSummaryRe, extractNamedValues, groupFloat, handlerStepTimingRe, losslessProfileRe,
  mbpipeSummaryRe, networkSummaryRe, optionalFloat, stepLatencyRe, stepTimingBreakdownMbRe, stepTimingBreakdownRe,
} from './logPatterns';
import { PyValueError } from './pyFloat';

export interface NetworkEntry { send_kb: number; recv_kb: number; serialize_ms: number; network_ms: number; deserialize_ms: number; total_ms: number }
export interface LosslessRow { side: string; dir: string; stage: string; step_id: string; batch: number; values: Map<string, number> }
export interface ClientLog {
  /** NETWORK_TX SUMMARY entries per step id, in first-seen order. */
  stepNetwork: Map<string, NetworkEntry[]>;
  serverDuration: Map<number, number[]>;
  stepLatency: number[];
  losslessRows: LosslessRow[];
}
export interface S1Entry { compute_ms: number; elapsed_ms: number; wait_ms: number; launch_ms: number; efficiency_pct: number }
export interface S2Entry { overlap_ms: number; stage2_compute_ms: number; efficiency_pct: number; strict_efficiency_pct: number; comparable_compute_ms: number }
export type Row = Record<string, number | string | undefined>;

/** A log line the original would have crashed on (Python ValueError); names the file and line. */
export class LogParseError extends Error {
  override readonly name = 'LogParseError';
  constructor(readonly path: string, readonly line: number, problem: string) {
    super(`${path}:${line}: ${problem}`);
  }
}

/** Runs `each` per line, turning a Python-style ValueError into a LogParseError at that line. */
export function eachLine(path: string, lines: readonly string[], each: (line: string) => void): void {
  lines.forEach((line, i) => {
    try {
      each(line);
    } catch (err) {
      if (err instanceof PyValueError) throw new LogParseError(path, i + 1, err.message);
      throw err;
    }
  });
}

const losslessKeys = new Set(['serialize_base', 'wrap', 'compress', 'raw', 'wire', 'ratio', 'act_nnz_ratio', 'serialize_calls', 'compress_ok',
  'deserialize_base', 'unwrap', 'decompress', 'deserialize_calls', 'decompress_calls']);

function floats<K extends string>(m: RegExpExecArray, keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, groupFloat(m, k)])) as Record<K, number>;
}

export function parseClientLog(path: string, lines: readonly string[]): ClientLog {
  const log: ClientLog = { stepNetwork: new Map(), serverDuration: new Map(), stepLatency: [], losslessRows: [] };
  eachLine(path, lines, (line) => {
    let m = networkSummaryRe.exec(line);
    if (m) {
      const id = m.groups!.step_id!;
      const list = log.stepNetwork.get(id) ?? [];
      log.stepNetwork.set(id, list);
      list.push(floats(m, ['send_kb', 'recv_kb', 'serialize_ms', 'network_ms', 'deserialize_ms', 'total_ms']));
      return;
    }
    if ((m = clientServerEndRe.exec(line))) {
      const idx = Number(m.groups!.server_idx);
      log.serverDuration.set(idx, [...(log.serverDuration.get(idx) ?? []), groupFloat(m, 'duration_ms')]);
      return;
    }
    if ((m = stepLatencyRe.exec(line))) return void log.stepLatency.push(groupFloat(m, 'latency_ms'));
    if ((m = losslessProfileRe.exec(line))) {
      const g = m.groups!;
      log.losslessRows.push({ side: g.side!, dir: g.dir!, stage: g.stage!, step_id: g.step_id!, batch: Number(g.batch), values: extractNamedValues(g.body!, losslessKeys) });
    }
  });
  return log;
}

export function parseServer1Log(path: string, lines: readonly string[]): S1Entry[] {
  const out: S1Entry[] = [];
  eachLine(path, lines, (line) => {
    const m = mbpipeSummaryRe.exec(line);
    if (m) out.push(floats(m, ['compute_ms', 'elapsed_ms', 'wait_ms', 'launch_ms', 'efficiency_pct']));
  });
  return out;
}

export function parseServer2Log(path: string, lines: readonly string[]): S2Entry[] {
  const out: S2Entry[] = [];
  eachLine(path, lines, (line) => {
    const m = crossStageSummaryRe.exec(line);
    if (m) out.push(floats(m, ['overlap_ms', 'stage2_compute_ms', 'efficiency_pct', 'strict_efficiency_pct', 'comparable_compute_ms']));
  });
  return out;
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

function lossless(line: string, pairs: [string, string][]): Row {
  const v = extractNamedValues(line, new Set(pairs.map(([k]) => k)));
  return Object.fromEntries(pairs.map(([k, field]) => [field, v.get(k)]));
}

export interface ServerDetail { stepRows: Row[]; mbRows: Row[]; handlerRows: Row[] }

/** `parse_detailed_server_logs` over (source name, path, lines) in order. */
export function parseDetailedServerLogs(logs: readonly { source: string; path: string; lines: readonly string[] }[]): ServerDetail {
  const d: ServerDetail = { stepRows: [], mbRows: [], handlerRows: [] };
  for (const { source, path, lines } of logs) {
    eachLine(path, lines, (line) => {
      let m = stepTimingBreakdownRe.exec(line);
      if (m) {
        const g = m.groups!;
        return void d.stepRows.push({ source, step_id: g.step_id, mode: g.mode, queue_source: g.queue_source, ...floats(m, stepFields), ...lossless(line, stepLossless) });
      }
      if ((m = stepTimingBreakdownMbRe.exec(line))) {
        const g = m.groups!;
        return void d.mbRows.push({
          source, step_id: g.step_id, queue_sources: g.queue_sources, ...floats(m, mbFields),
          queue_wait_pre_ms: optionalFloat(m, 'queue_wait_pre_ms'), queue_wait_inter_ms: optionalFloat(m, 'queue_wait_inter_ms'),
          total_with_pre_wait_ms: optionalFloat(m, 'total_with_pre_wait_ms'), ...lossless(line, mbLossless),
        });
      }
      if ((m = handlerStepTimingRe.exec(line))) {
        d.handlerRows.push({ source, step_id: m.groups!.step_id, queue_source: m.groups!.queue_source, ...floats(m, handlerFields) });
      }
    });
  }
  return d;
}
