// The text analyze_tradeoff_matrix.py prints (tradeoff_matrix.txt): the matrix, the deltas against a
// baseline case, and "Saved CSV: <path>" when a CSV was written.
import { fmt2, padLeft, padRight, pySlice } from './pyFloat';
import type { TradeoffRow } from './tradeoff';

export function pctDelta(v: number, base: number): number {
  return base === 0 ? 0 : ((v - base) / base) * 100;
}

const wide = '-'.repeat(140);
const cols = (spec: [string, number][]) => spec.map(([t, w]) => padLeft(t, w)).join(' ');
const name24 = (n: string) => padRight(pySlice(n, 24), 24);

export function renderTradeoffReport(rows: readonly TradeoffRow[], baselineName: string, savedCsv?: string): string {
  const out: string[] = [];
  const p = (s = '') => out.push(s);
  p('='.repeat(140));
  p('Compression/Offload Trade-off Matrix');
  p('='.repeat(140));
  p(
    `${padRight('name', 24)} ${cols([
      ['cmp', 4],
      ['off', 4],
      ['batch', 6],
      ['seq', 6],
      ['step_ms', 10],
      ['net_ms', 10],
      ['queue_ms', 10],
      ['send_kb', 10],
      ['recv_kb', 10],
      ['tx_ratio', 9],
      ['rx_ratio', 9],
      ['tx_cmp', 9],
      ['rx_dcmp', 9],
      ['comm%', 8],
      ['queue%', 8],
    ])}`,
  );
  p(wide);
  for (const r of rows) {
    p(
      `${name24(r.name)} ${cols([
        [String(r.compression), 4],
        [String(r.offload), 4],
        [String(r.batch), 6],
        [String(r.seq), 6],
        [fmt2(r.step_latency_ms), 10],
        [fmt2(r.network_total_ms), 10],
        [fmt2(r.queue_wait_ms), 10],
        [fmt2(r.send_kb), 10],
        [fmt2(r.recv_kb), 10],
        [fmt2(r.tx_wire_over_raw), 9],
        [fmt2(r.rx_wire_over_raw), 9],
        [fmt2(r.tx_compress_ms), 9],
        [fmt2(r.rx_decompress_ms), 9],
        [fmt2(r.comm_share_pct), 8],
        [fmt2(r.queue_share_pct), 8],
      ])}`,
    );
  }
  p(wide);

  const base = rows.find((r) => r.name === baselineName) ?? rows[0];
  if (base) {
    p();
    p(`Relative Delta vs baseline=${base.name}`);
    p(wide);
    p(
      `${padRight('name', 24)} ${cols([
        ['d_step%', 10],
        ['d_net%', 10],
        ['d_queue%', 10],
        ['d_send%', 10],
        ['d_recv%', 10],
        ['d_tx_ratio%', 12],
        ['d_rx_ratio%', 12],
      ])}`,
    );
    p(wide);
    for (const r of rows) {
      const d = (k: keyof TradeoffRow, w: number): [string, number] => [fmt2(pctDelta(r[k] as number, base[k] as number)), w];
      p(
        `${name24(r.name)} ${cols([
          d('step_latency_ms', 10),
          d('network_total_ms', 10),
          d('queue_wait_ms', 10),
          d('send_kb', 10),
          d('recv_kb', 10),
          d('tx_wire_over_raw', 12),
          d('rx_wire_over_raw', 12),
        ])}`,
      );
    }
    p(wide);
    p('Interpretation: negative d_step%/d_net%/d_queue% is better (latency reduced).');
  }
  if (savedCsv !== undefined) p(`Saved CSV: ${savedCsv}`);
  return out.join('\n') + '\n';
}
