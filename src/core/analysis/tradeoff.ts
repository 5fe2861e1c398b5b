// `airlock analyze tradeoff`: analyze_tradeoff_matrix.py's per-case metrics (its `_safe_mean` is
// sum/len, unlike the breakdown's statistics.mean), the 28-column CSV and the printed report.
import { readCaseLogs, type CaseLogs } from './caseLogs';
import { writeCsv, type CsvValue } from './matrixCsv';
import { pyIntText } from './pyFloat';
import { sumMean } from './pyStats';

export const tradeoffColumns = [
  'name',
  'compression',
  'offload',
  'batch',
  'seq',
  'step_latency_ms',
  'network_total_ms',
  'queue_wait_ms',
  'compute_ms',
  'step_total_ms',
  'send_kb',
  'recv_kb',
  'tx_wire_over_raw',
  'rx_wire_over_raw',
  'tx_compress_ms',
  'rx_decompress_ms',
  'tx_nnz_ratio',
  'rx_nnz_ratio',
  'mb_compute_ms',
  's1_elapsed_ms',
  's2_compute_ms',
  'overlap_ms',
  'overlap_adjusted_compute_ms',
  'comm_share_pct',
  'queue_share_pct',
  'client_log',
  'server1_log',
  'server2_log',
] as const;

export type TradeoffRow = { name: string; client_log: string; server1_log: string; server2_log: string } & Record<
  'compression' | 'offload' | 'batch' | 'seq',
  bigint
> &
  Record<
    Exclude<(typeof tradeoffColumns)[number], 'name' | 'compression' | 'offload' | 'batch' | 'seq' | 'client_log' | 'server1_log' | 'server2_log'>,
    number
  >;

/** A bad `--case` spec (the CLI exits 2 with this message). */
export class CaseSpecError extends Error {
  override readonly name = 'CaseSpecError';
}

/** `_parse_case_spec`: comma-separated key=value (split at the first '='); name, client, server1, server2 required. */
export function parseCaseSpec(spec: string): Map<string, string> {
  const parsed = new Map<string, string>();
  for (const raw of spec.split(',')) {
    const token = raw.trim();
    if (!token) continue;
    const eq = token.indexOf('=');
    if (eq < 0) throw new CaseSpecError(`Invalid --case token: '${token}', expected key=value`);
    parsed.set(token.slice(0, eq).trim(), token.slice(eq + 1).trim());
  }
  const missing = ['name', 'client', 'server1', 'server2'].filter((k) => !parsed.has(k));
  if (missing.length) throw new CaseSpecError(`--case missing required keys: [${missing.map((k) => `'${k}'`).join(', ')}]`);
  return parsed;
}

function intField(c: Map<string, string>, keys: string[], fallback: string): bigint {
  const key = keys.find((k) => c.has(k));
  const text = key ? c.get(key)! : fallback;
  const n = pyIntText(text);
  if (n === undefined) throw new CaseSpecError(`--case ${c.get('name')}: ${key ?? keys[0]}=${text} is not an integer`);
  return n;
}

/** The four integer fields of a spec (CaseSpecError before any log is read, as the original). */
export function caseInts(c: Map<string, string>): Record<'compression' | 'offload' | 'batch' | 'seq', bigint> {
  return {
    compression: intField(c, ['compression'], '0'),
    offload: intField(c, ['offload'], '0'),
    batch: intField(c, ['batch', 'batch_size'], '0'),
    seq: intField(c, ['seq', 'seq_len'], '0'),
  };
}

export async function collectCaseMetrics(c: Map<string, string>): Promise<TradeoffRow> {
  const ints = caseInts(c);
  return tradeoffRow(c.get('name')!, ints, await readCaseLogs(c.get('client')!, c.get('server1')!, c.get('server2')!, false));
}

/** One row of the matrix from a case's logs (already read, e.g. for its latency breakdown too). */
export function tradeoffRow(name: string, ints: Record<'compression' | 'offload' | 'batch' | 'seq', bigint>, logs: CaseLogs): TradeoffRow {
  const { client, s1, s2, detail } = logs;
  const steps = client.stepNetwork;
  const { tx, rx } = client.lossless.dirs;
  const mean = (sum: number, n: number) => (n ? sum / n : 0);

  const step = sumMean(client.stepLatency);
  const net = sumMean(steps.column('network_total_ms'));
  const queue = detail.steps.sumMean('queue_wait_ms');
  const s1Elapsed = s1.sumMean('elapsed_ms');
  const s2Compute = s2.sumMean('stage2_compute_ms');
  const overlap = s2.sumMean('overlap_ms');
  return {
    name,
    ...ints,
    step_latency_ms: step,
    network_total_ms: net,
    queue_wait_ms: queue,
    compute_ms: detail.steps.sumMean('compute_ms'),
    step_total_ms: detail.steps.sumMean('step_total_ms'),
    send_kb: sumMean(steps.column('send_total_kb')),
    recv_kb: sumMean(steps.column('recv_total_kb')),
    tx_wire_over_raw: tx.ratioCount ? tx.ratioSum / tx.ratioCount : 1,
    rx_wire_over_raw: rx.ratioCount ? rx.ratioSum / rx.ratioCount : 1,
    tx_compress_ms: mean(tx.compress, tx.rows),
    rx_decompress_ms: mean(rx.decompress, rx.rows),
    tx_nnz_ratio: mean(tx.nnz, tx.rows),
    rx_nnz_ratio: mean(rx.nnz, rx.rows),
    mb_compute_ms: detail.mb.sumMean('compute_sum_ms'),
    s1_elapsed_ms: s1Elapsed,
    s2_compute_ms: s2Compute,
    overlap_ms: overlap,
    overlap_adjusted_compute_ms: s1Elapsed + s2Compute - overlap,
    comm_share_pct: step > 0 ? (net / step) * 100 : 0,
    queue_share_pct: step > 0 ? (queue / step) * 100 : 0,
    client_log: logs.shown.clientLog,
    server1_log: logs.shown.server1Log,
    server2_log: logs.shown.server2Log,
  };
}

export function tradeoffCsv(rows: readonly TradeoffRow[]): string {
  return writeCsv(tradeoffColumns, rows as unknown as Record<string, CsvValue>[]);
}
