// A seeded generator of BloomBee logs in the original's line formats (fixtures/bloombee/FORMATS.md,
// test/fixtures/sweep/bloombee/case_000): a client log (inference.log) and two server logs of about
// `bytesPerLog` each, written in chunks so a 1 GB log never sits in memory. The same seed gives the
// same bytes. `perturb` mixes in what real logs contain: CRLF and lone CR line ends, garbage and
// half-written lines, NUL bytes, invalid UTF-8, and a truncated last line.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface GenOptions {
  bytesPerLog: number;
  seed?: number;
  perturb?: boolean;
  /** Size of the client log when it differs from the servers'. */
  clientBytes?: number;
  /** Leave the server logs empty (a crashed server). */
  emptyServers?: boolean;
}

/** mulberry32: small, fast, seedable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const uuid = (r: () => number) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-8${hex(r, 3)}-${hex(r, 12)}`;
const num = (r: () => number, lo: number, hi: number, digits = 2) => (lo + r() * (hi - lo)).toFixed(digits);
const stamp = (r: () => number) => `Feb 22 09:${String(30 + Math.floor(r() * 10)).padStart(2, '0')}:${num(r, 10, 59, 3).padStart(6, '0')}`;
const client = (r: () => number, where: string) => `${stamp(r)} [INFO] [bloombee.client.inference_session.step:${where}]`;
const server = (r: () => number, where: string) => `${stamp(r)} [INFO] [bloombee.server.block_functions.iterate_rpc_inference:${where}]`;

function clientStep(r: () => number, step: number): string[] {
  const id = uuid(r);
  const batch = [24, 48, 84][Math.floor(r() * 3)]!;
  const out: string[] = [`${stamp(r)} [INFO] [__main__.benchmark_inference:190] process_idx=0 step=${step} passing input_ids.shape=torch.Size([${batch}, 1])`];
  for (const [stage, idx] of [
    ['0:20', 0],
    ['20:40', 1],
  ] as const) {
    const raw = num(r, 600, 1400);
    const wire = num(r, 300, Number(raw));
    const net = num(r, 20, 60);
    out.push(
      `${client(r, '263')} [NETWORK_TX] SEND_START | step_id=${id} | tensor_size=${raw}KB | metadata_size=317B | total=${raw}KB | serialize_time=1.20ms`,
    );
    out.push(
      `${client(r, '272')} [LOSSLESS_PROFILE] side=client dir=tx stage=${stage} step_id=${id} batch=${batch} serialize_base=${num(r, 0.5, 2)}ms wrap=0.05ms compress=${num(r, 0, 1)}ms raw=${raw}KB wire=${wire}KB ratio=${(Number(wire) / Number(raw)).toFixed(4)} act_nnz_ratio=${num(r, 0.3, 1, 6)} serialize_calls=1 compress_ok=${r() < 0.5 ? 0 : 1}`,
    );
    out.push(`${client(r, '313')} [NETWORK_TX] RECV_END | step_id=${id} | recv_size=${raw}KB | network_rtt=${net}ms | deserialize_time=0.90ms`);
    out.push(
      `${client(r, '321')} [LOSSLESS_PROFILE] side=client dir=rx stage=${stage} step_id=${id} batch=${batch} deserialize_base=${num(r, 0.5, 2)}ms unwrap=0.02ms decompress=${num(r, 0, 1)}ms wire=${wire}KB raw=${raw}KB ratio=${(Number(wire) / Number(raw)).toFixed(4)} act_nnz_ratio=${num(r, 0.3, 1, 6)} deserialize_calls=1 decompress_calls=${r() < 0.5 ? 0 : 1}`,
    );
    out.push(
      `${client(r, '336')} [NETWORK_TX] SUMMARY | step_id=${id} | send=${raw}KB | recv=${num(r, 600, 1400)}KB | serialize=${num(r, 0.5, 2)}ms | network=${net}ms | deserialize=${num(r, 0.5, 2)}ms | total=${num(r, 30, 70)}ms`,
    );
    out.push(`${client(r, '574')} [CLIENT_SERVER_END] ServerIdx=${idx} | Blocks=${stage} | Duration=${num(r, 30, 70)}ms`);
  }
  out.push(`${stamp(r)} [INFO] [__main__.benchmark_inference:201] [STEP_LATENCY] Process=0 | Step=${step} | Latency=${num(r, 80, 130)}ms | BatchSize=${batch}`);
  return out;
}

function serverStep(r: () => number, second: boolean): string[] {
  const id = uuid(r);
  const lossless = `lossless_rx_base=${num(r, 0.3, 1)}ms lossless_rx_decompress=${num(r, 0, 1)}ms lossless_rx_wire=${num(r, 300, 1400)}KB lossless_rx_raw=1344.00KB lossless_rx_ratio=${num(r, 0.3, 1, 4)} lossless_tx_base=${num(r, 0.3, 1)}ms lossless_tx_compress=${num(r, 0, 1)}ms lossless_tx_raw=1344.00KB lossless_tx_wire=${num(r, 300, 1400)}KB lossless_tx_ratio=${num(r, 0.3, 1, 4)}`;
  const out = [
    `${server(r, '1928')} [STEP_TIMING_BREAKDOWN] step_id=${id} mode=${r() < 0.8 ? 'micro_batch' : 'full_batch'} queue_wait=${num(r, 0, 1)}ms queue_source=${r() < 0.7 ? 'push' : 'queue'} deserialize=${num(r, 0.3, 1)}ms compute=${num(r, 20, 40)}ms serialize=${num(r, 0.3, 1)}ms residual=${num(r, -0.2, 0.5)}ms step_total=${num(r, 25, 45)}ms total_with_queue=${num(r, 25, 45)}ms cross_gpu_window=0.00ms batch=84 seq_inc=1 raw_seq=1 is_spec_dec=0 ${lossless}`,
    `${stamp(r)} [INFO] [bloombee.server.handler.rpc_inference:949] [HANDLER_STEP_TIMING] step_id=${id} queue_wait=${num(r, 0, 1)}ms queue_source=push push_schedule=${num(r, 0, 0.2)}ms response_emit=${num(r, 0, 0.4)}ms handler_total=${num(r, 25, 45)}ms can_push=1`,
  ];
  if (second) {
    out.push(
      `${server(r, '1189')} [STEP_TIMING_BREAKDOWN_MB] step_id=${id} mode=micro_batch expected_mb=11 recv_mb=11 queue_wait_sum=${num(r, 1, 5)}ms deserialize_sum=${num(r, 5, 9)}ms compute_sum=${num(r, 25, 35)}ms serialize=0.70ms residual=0.44ms total=${num(r, 35, 45)}ms queue_sources=push:11 queue_wait_pre=0.30ms queue_wait_inter=2.80ms total_with_pre_wait=${num(r, 35, 45)}ms lossless_rx_base_sum=6.10ms lossless_rx_decompress_sum=0.00ms lossless_rx_wire_sum=1344.00KB lossless_rx_raw_sum=1344.00KB lossless_rx_ratio=1.0000 lossless_tx_base=0.60ms lossless_tx_compress=0.00ms lossless_tx_raw=1344.00KB lossless_tx_wire=1344.00KB lossless_tx_ratio=1.0000`,
    );
    out.push(
      `${server(r, '1114')} [CROSS_STAGE_OVERLAP_SUMMARY] step=${id} overlap=${num(r, 5, 20, 1)}ms, Stage2_compute=${num(r, 25, 35, 1)}ms, efficiency=${num(r, 30, 50, 1)}%, strict_efficiency=${num(r, 30, 50, 1)}%, comparable_compute=${num(r, 25, 35, 1)}ms, missing_pairs=0, invalid_pairs=0, clock_corrected_pairs=11, clock_uncorrected_pairs=0, clock_sync_coverage=100.0%, avg_abs_clock_offset=0.42ms, max_clock_rtt=1.10ms`,
    );
  } else {
    out.push(
      `${server(r, '1635')} [MBPIPE_SUMMARY] step=${Math.floor(r() * 1000)} mb=11 compute=${num(r, 20, 35, 1)}ms elapsed=${num(r, 25, 40, 1)}ms wait=${num(r, 0, 3, 1)}ms(6.3%) launch=${num(r, 0, 1, 1)}ms(1.3%) efficiency=${num(r, 80, 99, 1)}%`,
    );
  }
  out.push(`${stamp(r)} [INFO] [hivemind.moe.server.runtime:120] Processed batch of ${Math.floor(r() * 100)} requests`);
  return out;
}

const garbage = [
  Buffer.from('garbage line [STEP_LATENCY] Process=x | Step=1 | Latency=5ms'),
  Buffer.from('[NETWORK_TX] SUMMARY | step_id=zzzz | send=1KB'),
  Buffer.from([0x54, 0x72, 0x61, 0x63, 0x65, 0x00, 0x00, 0x62, 0x61, 0x63, 0x6b]), // NUL bytes
  Buffer.from([0x6f, 0x6f, 0x70, 0x73, 0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x20, 0xed, 0xa0, 0x80]), // invalid UTF-8
  Buffer.from('Traceback (most recent call last):'),
];

/** Perturbs one line: invalid bytes inside a tag line, a dropped line, NUL, or nothing. */
function perturbLine(r: () => number, line: string): Buffer | undefined {
  const x = r();
  if (x < 0.01) return undefined; // a missing line
  if (x < 0.015) {
    const at = Math.floor(r() * line.length);
    return Buffer.concat([Buffer.from(line.slice(0, at)), Buffer.from([0xc3]), Buffer.from(line.slice(at))]);
  }
  if (x < 0.02) return Buffer.from(line.replace('ms', 'ms\0'));
  return Buffer.from(line);
}

/** Writes step after step until `bytes`; returns how many steps were written. */
function writeLog(path: string, bytes: number, r: () => number, lines: (i: number) => string[], perturb: boolean): number {
  const fd = openSync(path, 'w');
  try {
    let written = 0;
    let i = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = () => {
      if (pending.length) writeSync(fd, Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
    };
    while (written < bytes) {
      for (const line of lines(i++)) {
        let buf: Buffer | undefined = Buffer.from(line);
        let eol = '\n';
        if (perturb) {
          buf = perturbLine(r, line);
          const e = r();
          eol = e < 0.05 ? '\r\n' : e < 0.06 ? '\r' : '\n';
          if (r() < 0.01) pending.push(garbage[Math.floor(r() * garbage.length)]!, Buffer.from('\n'));
        }
        if (!buf) continue;
        pending.push(buf, Buffer.from(eol));
        pendingBytes += buf.length + eol.length;
        written += buf.length + eol.length;
      }
      if (pendingBytes > 1 << 20) flush();
    }
    if (perturb && bytes > 0) pending.push(Buffer.from('[STEP_LATENCY] Process=0 | Step=999 | Laten')); // a truncated last line
    flush();
    return i;
  } finally {
    closeSync(fd);
  }
}

export interface CaseLogFiles {
  client: string;
  server1: string;
  server2: string;
  clientSteps: number;
}

/** Writes inference.log, server1.log and server2.log into `dir`; returns their paths and the client's step count. */
export function generateCaseLogs(dir: string, o: GenOptions): CaseLogFiles {
  mkdirSync(dir, { recursive: true });
  const seed = o.seed ?? 1;
  const paths = { client: join(dir, 'inference.log'), server1: join(dir, 'server1.log'), server2: join(dir, 'server2.log') };
  const perturb = o.perturb ?? false;
  const clientSteps = writeLog(paths.client, o.clientBytes ?? o.bytesPerLog, rng(seed), (i) => clientStep(rng(seed * 7919 + i), i), perturb);
  writeLog(paths.server1, o.emptyServers ? 0 : o.bytesPerLog, rng(seed + 1), (i) => serverStep(rng(seed * 104729 + i), false), perturb);
  writeLog(paths.server2, o.emptyServers ? 0 : o.bytesPerLog, rng(seed + 2), (i) => serverStep(rng(seed * 1299709 + i), true), perturb);
  return { ...paths, clientSteps };
}
