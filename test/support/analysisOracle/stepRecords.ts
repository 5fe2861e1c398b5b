// Frozen copy of src/core/analysis/stepRecords.ts at 803aebc (before streaming): the reference the new
// implementation is compared with in test/unit/analysis/oracle.unit.test.ts and bench/analysis.bench.ts.
// Per-step aggregates shared by the latency breakdown and the trade-off matrix: the two slowest
// NETWORK_TX spans of a step (one per server stage), and the client's lossless profile per step.
import type { LosslessRow, NetworkEntry } from './logParse';
import { pyIntText } from './pyFloat';

export interface StepRecord {
  step_id: string;
  send_total_kb: number;
  recv_total_kb: number;
  serialize_total_ms: number;
  network_total_ms: number;
  deserialize_total_ms: number;
  network_stack_total_ms: number;
  stage0_network_ms: number;
  stage1_network_ms: number;
}

/** The top two entries by network_ms (stable, like Python's sorted(reverse=True)) summed per step. */
export function buildStepRecords(stepNetwork: Map<string, NetworkEntry[]>): StepRecord[] {
  const out: StepRecord[] = [];
  for (const [step_id, entries] of stepNetwork) {
    const [e0, e1] = [...entries].sort((a, b) => b.network_ms - a.network_ms);
    if (!e0) continue;
    const plus = (k: keyof NetworkEntry) => e0[k] + (e1 ? e1[k] : 0);
    out.push({
      step_id,
      send_total_kb: plus('send_kb'),
      recv_total_kb: plus('recv_kb'),
      serialize_total_ms: plus('serialize_ms'),
      network_total_ms: plus('network_ms'),
      deserialize_total_ms: plus('deserialize_ms'),
      network_stack_total_ms: plus('total_ms'),
      stage0_network_ms: e0.network_ms,
      stage1_network_ms: e1 ? e1.network_ms : 0,
    });
  }
  return out;
}

export type LosslessStep = Record<string, number>;

const sumKeys = {
  tx: [['tx_serialize_base_ms', 'serialize_base'], ['tx_wrap_ms', 'wrap'], ['tx_compress_ms', 'compress'], ['tx_raw_kb', 'raw'], ['tx_wire_kb', 'wire'],
    ['tx_serialize_calls', 'serialize_calls'], ['tx_compress_ok', 'compress_ok'], ['tx_act_nnz_sum', 'act_nnz_ratio']],
  rx: [['rx_deserialize_base_ms', 'deserialize_base'], ['rx_unwrap_ms', 'unwrap'], ['rx_decompress_ms', 'decompress'], ['rx_wire_kb', 'wire'], ['rx_raw_kb', 'raw'],
    ['rx_deserialize_calls', 'deserialize_calls'], ['rx_decompress_calls', 'decompress_calls'], ['rx_act_nnz_sum', 'act_nnz_ratio']],
} as const;

/** Client [LOSSLESS_PROFILE] rows summed per step id, with per-step wire/raw and mean nnz ratios. */
export function buildLosslessSteps(rows: readonly LosslessRow[]): LosslessStep[] {
  const byStep = new Map<string, LosslessStep>();
  for (const row of rows) {
    if (!row.step_id) continue;
    let rec = byStep.get(row.step_id);
    if (!rec) {
      rec = {};
      for (const dir of ['tx', 'rx'] as const) {
        for (const [k] of sumKeys[dir]) rec[k] = 0;
        rec[`${dir}_act_nnz_count`] = 0;
      }
      byStep.set(row.step_id, rec);
    }
    if (row.dir !== 'tx' && row.dir !== 'rx') continue;
    for (const [k, src] of sumKeys[row.dir]) rec[k]! += row.values.get(src) ?? 0;
    rec[`${row.dir}_act_nnz_count`]! += 1;
  }
  return [...byStep.values()].map((rec) => ({
    ...rec,
    tx_ratio: rec.tx_raw_kb! > 0 ? rec.tx_wire_kb! / rec.tx_raw_kb! : 1,
    rx_ratio: rec.rx_raw_kb! > 0 ? rec.rx_wire_kb! / rec.rx_raw_kb! : 1,
    tx_act_nnz_ratio: rec.tx_act_nnz_count! > 0 ? rec.tx_act_nnz_sum! / rec.tx_act_nnz_count! : 0,
    rx_act_nnz_ratio: rec.rx_act_nnz_count! > 0 ? rec.rx_act_nnz_sum! / rec.rx_act_nnz_count! : 0,
  }));
}

export interface EnrichedLossless {
  dir: string;
  stage: string;
  batch: number;
  raw_kb: number;
  wire_kb: number;
  ratio: number;
  nnz: number;
  bucket: string;
}

/** `_parse_stage_start`: the integer before the first ':' of a stage like "0:20", else undefined. */
export function stageStart(stage: string): number | undefined {
  const head = stage.split(':', 1)[0]!;
  const n = pyIntText(head);
  return n === undefined ? undefined : Number(n);
}

/** Each client lossless row with its wire/raw ratio and a front/back bucket (front = first half of the sorted stage starts). */
export function enrichLossless(rows: readonly LosslessRow[]): EnrichedLossless[] {
  const starts = [...new Set(rows.map((r) => stageStart(r.stage)).filter((s): s is number => s !== undefined))].sort((a, b) => a - b);
  const front = new Set(starts.slice(0, Math.floor((starts.length + 1) / 2)));
  return rows.map((r) => {
    const raw = r.values.get('raw') ?? 0;
    const wire = r.values.get('wire') ?? 0;
    const start = stageStart(r.stage);
    return {
      dir: r.dir,
      stage: r.stage,
      batch: r.batch,
      raw_kb: raw,
      wire_kb: wire,
      ratio: raw > 0 ? wire / raw : (r.values.get('ratio') ?? 1),
      nnz: r.values.get('act_nnz_ratio') ?? 0,
      bucket: start === undefined ? 'unknown' : front.has(start) ? 'front' : 'back',
    };
  });
}
