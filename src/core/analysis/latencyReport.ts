// `airlock analyze latency`: the text analyze_latency_breakdown.py prints, line for line
// (92-character rules, `{:.2f}` numbers, empty sections say which tag was not found).
import { readCaseLogs, type CaseLogs } from './caseLogs';
import { comparePy, fmt2, padLeft } from './pyFloat';
import { exactMean, pearson } from './pyStats';
import { rule, statHeader, statRow } from './reportFormat';
import { stepRecordKeys } from './stepRecords';
import type { GroupAcc } from './losslessAgg';
import { renderServerSections } from './latencyServerReport';

/** Reads the three logs (streaming) and renders the report (paths are printed the way Python prints a Path). */
export async function latencyBreakdown(clientLog: string, server1Log: string, server2Log: string): Promise<string> {
  return renderLatencyBreakdown(await readCaseLogs(clientLog, server1Log, server2Log));
}

export function renderLatencyBreakdown(logs: CaseLogs): string {
  const paths = logs.shown;
  const clientLog = logs.client;
  const steps = clientLog.stepNetwork;
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
  if (steps.size) {
    for (const k of stepRecordKeys) {
      p(statRow(k, steps.column(k)));
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
  if (clientLog.lossless.stepCount) {
    for (const [k, label] of [
      ['tx_serialize_base_ms'],
      ['tx_compress_ms'],
      ['tx_wrap_ms'],
      ['tx_raw_kb'],
      ['tx_wire_kb'],
      ['tx_ratio', 'tx_wire_over_raw_ratio'],
      ['tx_act_nnz_ratio'],
      ['rx_deserialize_base_ms'],
      ['rx_decompress_ms'],
      ['rx_unwrap_ms'],
      ['rx_wire_kb'],
      ['rx_raw_kb'],
      ['rx_ratio', 'rx_wire_over_raw_ratio'],
      ['rx_act_nnz_ratio'],
    ] as [string, string?][]) {
      p(statRow(label ?? k, clientLog.lossless.stepColumn(k)));
    }
  } else p('No [LOSSLESS_PROFILE] entries found in client log.');
  p(rule);

  type Key = (string | bigint)[];
  const groupTable = (title: string, header: string, empty: string, groups: { key: Key; acc: GroupAcc }[], lead: (key: Key) => string) => {
    p();
    p(title);
    p(rule);
    if (groups.length) {
      p(header);
      const sorted = [...groups].sort((a, b) => compareKeys(a.key, b.key));
      for (const { key, acc } of sorted) {
        const cols = [acc.ratio, acc.nnz, acc.raw, acc.wire].map((v) => fmt2(v.mean()));
        p(`${lead(key)} ${padLeft(cols[0]!, 12)} ${padLeft(cols[1]!, 10)} ${padLeft(cols[2]!, 10)} ${padLeft(cols[3]!, 10)} ${padLeft(String(acc.count), 8)}`);
      }
    } else p(empty);
    p(rule);
  };
  const h = (cols: [string, number][]) => cols.map(([t, w]) => padLeft(t, w)).join(' ');
  const tail: [string, number][] = [
    ['ratio_mean', 12],
    ['nnz_mean', 10],
    ['raw_kb', 10],
    ['wire_kb', 10],
    ['count', 8],
  ];
  const { byStage, byBucket } = clientLog.lossless.stageGroups();
  const byBatch = [...clientLog.lossless.byBatch.values()].flatMap((m) => [...m.values()]);
  groupTable(
    'Client compression ratio by stage/layer (from [LOSSLESS_PROFILE]):',
    h([['dir', 5], ['stage', 12], ['bucket', 8], ...tail]),
    'No per-stage compression rows found.',
    byStage.map((g) => ({ key: [g.dir, g.stage, g.bucket], acc: g.acc })),
    ([d, s, b]) => `${padLeft(String(d), 5)} ${padLeft(String(s), 12)} ${padLeft(String(b), 8)}`,
  );
  groupTable(
    'Client compression ratio by layer bucket (front/back):',
    h([['dir', 5], ['bucket', 10], ...tail]),
    'No bucket-level compression rows found.',
    byBucket.map((g) => ({ key: [g.dir, g.bucket], acc: g.acc })),
    ([d, b]) => `${padLeft(String(d), 5)} ${padLeft(String(b), 10)}`,
  );
  groupTable(
    'Client compression ratio by batch size (from [LOSSLESS_PROFILE]):',
    h([['dir', 5], ['batch', 8], ...tail]),
    'No batch-level compression rows found.',
    byBatch.map((g) => ({ key: [g.dir, g.batch], acc: g.acc })),
    ([d, b]) => `${padLeft(String(d), 5)} ${padLeft(String(b), 8)}`,
  );

  p();
  p('Compression ratio vs activation non-zero ratio (from [LOSSLESS_PROFILE]):');
  p(rule);
  p(
    h([
      ['dir', 5],
      ['pearson(ratio,nnz)', 22],
      ['mean_ratio', 12],
      ['mean_nnz', 10],
      ['count', 8],
    ]),
  );
  let printed = false;
  for (const dir of ['tx', 'rx'] as const) {
    const { ratio: ratios, nnz: nnzs } = clientLog.lossless.corr[dir];
    if (ratios.length < 2) continue;
    printed = true;
    p(
      `${padLeft(dir, 5)} ${padLeft(fmt2(pearson(ratios, nnzs)), 22)} ${padLeft(fmt2(exactMean(ratios)), 12)} ${padLeft(fmt2(exactMean(nnzs)), 10)} ${padLeft(String(ratios.length), 8)}`,
    );
  }
  if (!printed) p('Not enough rows to compute correlation.');
  p(rule);

  renderServerSections(out, { clientLog, steps, s1: logs.s1, s2: logs.s2, detail: logs.detail });
  return out.join('\n') + '\n';
}

/** Python tuple ordering for keys of strings and ints. */
function compareKeys(a: (string | bigint)[], b: (string | bigint)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    const d = typeof x === 'bigint' && typeof y === 'bigint' ? (x < y ? -1 : x > y ? 1 : 0) : comparePy(String(x), String(y));
    if (d) return d;
  }
  return a.length - b.length;
}
