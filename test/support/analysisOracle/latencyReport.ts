// Frozen copy of src/core/analysis/latencyReport.ts at 803aebc (before streaming): the reference the new
// implementation is compared with in test/unit/analysis/oracle.unit.test.ts and bench/analysis.bench.ts.
// `airlock analyze latency`: the text analyze_latency_breakdown.py prints, line for line
// (92-character rules, `{:.2f}` numbers, empty sections say which tag was not found).
import { parseClientLog, parseDetailedServerLogs, parseServer1Log, parseServer2Log } from './logParse';
import { readLogLines } from './logPatterns';
import { comparePy, fmt2, padLeft } from './pyFloat';
import { exactMean, pearson } from './pyStats';
import { rule, statHeader, statRow } from './reportFormat';
import { buildLosslessSteps, buildStepRecords, enrichLossless, type EnrichedLossless } from './stepRecords';
import { renderServerSections, type LatencyInputs } from './latencyServerReport';
import { pyPathStr } from './pyPath';


/** Reads the three logs and renders the report (paths are printed the way Python prints a Path). */
export async function latencyBreakdown(clientLog: string, server1Log: string, server2Log: string): Promise<string> {
  const [c, s1, s2] = await Promise.all([readLogLines(clientLog), readLogLines(server1Log), readLogLines(server2Log)]);
  return renderLatencyBreakdown({ clientLog: pyPathStr(clientLog), server1Log: pyPathStr(server1Log), server2Log: pyPathStr(server2Log) }, c, s1, s2);
}

export function renderLatencyBreakdown(paths: LatencyInputs, client: readonly string[], server1: readonly string[], server2: readonly string[]): string {
  const clientLog = parseClientLog(paths.clientLog, client);
  const s1 = parseServer1Log(paths.server1Log, server1);
  const s2 = parseServer2Log(paths.server2Log, server2);
  const detail = parseDetailedServerLogs([
    { source: 'server1', path: paths.server1Log, lines: server1 },
    { source: 'server2', path: paths.server2Log, lines: server2 },
  ]);
  const steps = buildStepRecords(clientLog.stepNetwork);
  const lossless = buildLosslessSteps(clientLog.losslessRows);
  const enriched = enrichLossless(clientLog.losslessRows);
  const out: string[] = [];
  const p = (s = '') => out.push(s);

  p('='.repeat(92));
  p('Latency/Volume Breakdown (from existing logs)');
  p('='.repeat(92));
  p(`client_log  : ${paths.clientLog}`);
  p(`server1_log : ${paths.server1Log}`);
  p(`server2_log : ${paths.server2Log}`);
  p();
  p('Client-side (per generation step):');
  p(rule);
  p(statHeader);
  p(rule);
  if (steps.length) {
    for (const k of ['send_total_kb', 'recv_total_kb', 'serialize_total_ms', 'network_total_ms', 'deserialize_total_ms', 'network_stack_total_ms', 'stage0_network_ms', 'stage1_network_ms'] as const) {
      p(statRow(k, steps.map((r) => r[k])));
    }
  } else p('No [NETWORK_TX] SUMMARY entries found.');
  p(rule);
  if (clientLog.stepLatency.length) {
    p(statRow('step_latency_ms', clientLog.stepLatency));
    p(rule);
  }

  p();
  p('Client lossless wrapper profiling (from [LOSSLESS_PROFILE]):');
  p(rule);
  p(statHeader);
  p(rule);
  if (lossless.length) {
    for (const [k, label] of [['tx_serialize_base_ms'], ['tx_compress_ms'], ['tx_wrap_ms'], ['tx_raw_kb'], ['tx_wire_kb'], ['tx_ratio', 'tx_wire_over_raw_ratio'],
      ['tx_act_nnz_ratio'], ['rx_deserialize_base_ms'], ['rx_decompress_ms'], ['rx_unwrap_ms'], ['rx_wire_kb'], ['rx_raw_kb'], ['rx_ratio', 'rx_wire_over_raw_ratio'],
      ['rx_act_nnz_ratio']] as [string, string?][]) {
      p(statRow(label ?? k, lossless.map((r) => r[k]!)));
    }
  } else p('No [LOSSLESS_PROFILE] entries found in client log.');
  p(rule);

  const groupTable = (title: string, header: string, empty: string, keyOf: (r: EnrichedLossless) => (string | number)[], lead: (key: (string | number)[]) => string) => {
    p();
    p(title);
    p(rule);
    const groups = new Map<string, { key: (string | number)[]; rows: EnrichedLossless[] }>();
    for (const r of enriched) {
      const key = keyOf(r);
      const id = JSON.stringify(key);
      if (!groups.has(id)) groups.set(id, { key, rows: [] });
      groups.get(id)!.rows.push(r);
    }
    if (groups.size) {
      p(header);
      const sorted = [...groups.values()].sort((a, b) => compareKeys(a.key, b.key));
      for (const { key, rows } of sorted) {
        const cols = [rows.map((r) => r.ratio), rows.map((r) => r.nnz), rows.map((r) => r.raw_kb), rows.map((r) => r.wire_kb)].map((v) => fmt2(exactMean(v)));
        p(`${lead(key)} ${padLeft(cols[0]!, 12)} ${padLeft(cols[1]!, 10)} ${padLeft(cols[2]!, 10)} ${padLeft(cols[3]!, 10)} ${padLeft(String(rows.length), 8)}`);
      }
    } else p(empty);
    p(rule);
  };
  const h = (cols: [string, number][]) => cols.map(([t, w]) => padLeft(t, w)).join(' ');
  const tail: [string, number][] = [['ratio_mean', 12], ['nnz_mean', 10], ['raw_kb', 10], ['wire_kb', 10], ['count', 8]];
  groupTable('Client compression ratio by stage/layer (from [LOSSLESS_PROFILE]):', h([['dir', 5], ['stage', 12], ['bucket', 8], ...tail]),
    'No per-stage compression rows found.', (r) => [r.dir, r.stage, r.bucket], ([d, s, b]) => `${padLeft(String(d), 5)} ${padLeft(String(s), 12)} ${padLeft(String(b), 8)}`);
  groupTable('Client compression ratio by layer bucket (front/back):', h([['dir', 5], ['bucket', 10], ...tail]),
    'No bucket-level compression rows found.', (r) => [r.dir, r.bucket], ([d, b]) => `${padLeft(String(d), 5)} ${padLeft(String(b), 10)}`);
  groupTable('Client compression ratio by batch size (from [LOSSLESS_PROFILE]):', h([['dir', 5], ['batch', 8], ...tail]),
    'No batch-level compression rows found.', (r) => [r.dir, r.batch], ([d, b]) => `${padLeft(String(d), 5)} ${padLeft(String(b), 8)}`);

  p();
  p('Compression ratio vs activation non-zero ratio (from [LOSSLESS_PROFILE]):');
  p(rule);
  p(h([['dir', 5], ['pearson(ratio,nnz)', 22], ['mean_ratio', 12], ['mean_nnz', 10], ['count', 8]]));
  let printed = false;
  for (const dir of ['tx', 'rx']) {
    const rows = enriched.filter((r) => r.dir === dir);
    const ratios = rows.map((r) => r.ratio);
    const nnzs = rows.map((r) => r.nnz);
    if (ratios.length < 2) continue;
    printed = true;
    p(`${padLeft(dir, 5)} ${padLeft(fmt2(pearson(ratios, nnzs)), 22)} ${padLeft(fmt2(exactMean(ratios)), 12)} ${padLeft(fmt2(exactMean(nnzs)), 10)} ${padLeft(String(rows.length), 8)}`);
  }
  if (!printed) p('Not enough rows to compute correlation.');
  p(rule);

  renderServerSections(out, { clientLog, steps, s1, s2, detail });
  return out.join('\n') + '\n';
}

/** Python tuple ordering for keys of strings and ints. */
function compareKeys(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    const d = typeof x === 'number' && typeof y === 'number' ? x - y : comparePy(String(x), String(y));
    if (d) return d;
  }
  return a.length - b.length;
}
