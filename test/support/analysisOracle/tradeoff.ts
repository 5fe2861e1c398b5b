// Frozen copy of src/core/analysis/tradeoff.ts at 803aebc (before streaming): the reference the new
// implementation is compared with in test/unit/analysis/oracle.unit.test.ts and bench/analysis.bench.ts.
// `airlock analyze tradeoff`: analyze_tradeoff_matrix.py's per-case metrics (its `_safe_mean` is
// sum/len, unlike the breakdown's statistics.mean), the 28-column CSV and the printed report.
import { parseClientLog, parseDetailedServerLogs, parseServer1Log, parseServer2Log } from './logParse';
import { readLogLines } from './logPatterns';
import { writeCsv, type CsvValue } from './matrixCsv';
import { pyIntText } from './pyFloat';
import { pyPathStr } from './pyPath';
import { sumMean } from './pyStats';
import { buildStepRecords } from './stepRecords';

export const tradeoffColumns = [
  'name', 'compression', 'offload', 'batch', 'seq', 'step_latency_ms', 'network_total_ms', 'queue_wait_ms', 'compute_ms', 'step_total_ms',
  'send_kb', 'recv_kb', 'tx_wire_over_raw', 'rx_wire_over_raw', 'tx_compress_ms', 'rx_decompress_ms', 'tx_nnz_ratio', 'rx_nnz_ratio',
  'mb_compute_ms', 's1_elapsed_ms', 's2_compute_ms', 'overlap_ms', 'overlap_adjusted_compute_ms', 'comm_share_pct', 'queue_share_pct',
  'client_log', 'server1_log', 'server2_log',
] as const;

export type TradeoffRow = { name: string; client_log: string; server1_log: string; server2_log: string } & Record<'compression' | 'offload' | 'batch' | 'seq', bigint> &
  Record<Exclude<(typeof tradeoffColumns)[number], 'name' | 'compression' | 'offload' | 'batch' | 'seq' | 'client_log' | 'server1_log' | 'server2_log'>, number>;

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

export async function collectCaseMetrics(c: Map<string, string>): Promise<TradeoffRow> {
  const paths = { client: pyPathStr(c.get('client')!), server1: pyPathStr(c.get('server1')!), server2: pyPathStr(c.get('server2')!) };
  const ints = {
    compression: intField(c, ['compression'], '0'), offload: intField(c, ['offload'], '0'),
    batch: intField(c, ['batch', 'batch_size'], '0'), seq: intField(c, ['seq', 'seq_len'], '0'),
  };
  const [cl, s1l, s2l] = await Promise.all([readLogLines(c.get('client')!), readLogLines(c.get('server1')!), readLogLines(c.get('server2')!)]);
  const client = parseClientLog(paths.client, cl);
  const s1 = parseServer1Log(paths.server1, s1l);
  const s2 = parseServer2Log(paths.server2, s2l);
  const { stepRows, mbRows } = parseDetailedServerLogs([{ source: 'server1', path: paths.server1, lines: s1l }, { source: 'server2', path: paths.server2, lines: s2l }]);
  const steps = buildStepRecords(client.stepNetwork);
  const tx = client.losslessRows.filter((r) => r.dir === 'tx');
  const rx = client.losslessRows.filter((r) => r.dir === 'rx');
  const ratios = (rows: typeof tx) =>
    rows.flatMap((r) => ((r.values.get('raw') ?? 0) > 0 ? [(r.values.get('wire') ?? 0) / r.values.get('raw')!] : []));
  const txRatios = ratios(tx);
  const rxRatios = ratios(rx);
  const col = <T>(rows: readonly T[], f: (r: T) => number) => sumMean(rows.map(f));

  const step = sumMean(client.stepLatency);
  const net = col(steps, (r) => r.network_total_ms);
  const queue = col(stepRows, (r) => r.queue_wait_ms as number);
  const s1Elapsed = col(s1, (x) => x.elapsed_ms);
  const s2Compute = col(s2, (x) => x.stage2_compute_ms);
  const overlap = col(s2, (x) => x.overlap_ms);
  return {
    name: c.get('name')!,
    ...ints,
    step_latency_ms: step,
    network_total_ms: net,
    queue_wait_ms: queue,
    compute_ms: col(stepRows, (r) => r.compute_ms as number),
    step_total_ms: col(stepRows, (r) => r.step_total_ms as number),
    send_kb: col(steps, (r) => r.send_total_kb),
    recv_kb: col(steps, (r) => r.recv_total_kb),
    tx_wire_over_raw: txRatios.length ? sumMean(txRatios) : 1,
    rx_wire_over_raw: rxRatios.length ? sumMean(rxRatios) : 1,
    tx_compress_ms: col(tx, (r) => r.values.get('compress') ?? 0),
    rx_decompress_ms: col(rx, (r) => r.values.get('decompress') ?? 0),
    tx_nnz_ratio: col(tx, (r) => r.values.get('act_nnz_ratio') ?? 0),
    rx_nnz_ratio: col(rx, (r) => r.values.get('act_nnz_ratio') ?? 0),
    mb_compute_ms: col(mbRows, (r) => r.compute_sum_ms as number),
    s1_elapsed_ms: s1Elapsed,
    s2_compute_ms: s2Compute,
    overlap_ms: overlap,
    overlap_adjusted_compute_ms: s1Elapsed + s2Compute - overlap,
    comm_share_pct: step > 0 ? (net / step) * 100 : 0,
    queue_share_pct: step > 0 ? (queue / step) * 100 : 0,
    client_log: paths.client,
    server1_log: paths.server1,
    server2_log: paths.server2,
  };
}

export function tradeoffCsv(rows: readonly TradeoffRow[]): string {
  return writeCsv(tradeoffColumns, rows as unknown as Record<string, CsvValue>[]);
}
