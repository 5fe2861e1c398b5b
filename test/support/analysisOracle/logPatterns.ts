// Frozen copy of src/core/analysis/logPatterns.ts at 803aebc (before streaming): the reference the new
// implementation is compared with in test/unit/analysis/oracle.unit.test.ts and bench/analysis.bench.ts.
// The BloomBee log lines the analysers read (fixtures/bloombee/FORMATS.md §2.4), as the originals'
// regular expressions: searched anywhere in the line, so the hivemind prefix is ignored.
import { readFile } from 'node:fs/promises';
import { pyFloat } from './pyFloat';

export const networkSummaryRe =
  /\[NETWORK_TX\] SUMMARY \| step_id=(?<step_id>[a-f0-9-]+) \| send=(?<send_kb>[0-9.]+)KB \| recv=(?<recv_kb>[0-9.]+)KB \| serialize=(?<serialize_ms>[0-9.]+)ms \| network=(?<network_ms>[0-9.]+)ms \| deserialize=(?<deserialize_ms>[0-9.]+)ms \| total=(?<total_ms>[0-9.]+)ms/;
export const clientServerEndRe = /\[CLIENT_SERVER_END\] ServerIdx=(?<server_idx>\d+) \| Blocks=(?<blocks>\d+:\d+) \| Duration=(?<duration_ms>[0-9.]+)ms/;
export const stepLatencyRe = /\[STEP_LATENCY\] Process=(?<process>\d+) \| Step=(?<step>\d+) \| Latency=(?<latency_ms>[0-9.]+)ms/;
export const mbpipeSummaryRe =
  /\[MBPIPE_SUMMARY\] step=(?<step>\d+) mb=(?<mb>\d+) compute=(?<compute_ms>[0-9.]+)ms elapsed=(?<elapsed_ms>[0-9.]+)ms wait=(?<wait_ms>[0-9.]+)ms\((?<wait_pct>[0-9.]+)%\) launch=(?<launch_ms>[0-9.]+)ms\((?<launch_pct>[0-9.]+)%\) efficiency=(?<efficiency_pct>[0-9.]+)%/;
export const crossStageSummaryRe =
  /\[CROSS_STAGE_OVERLAP_SUMMARY\] step=(?<step_id>[a-f0-9-]+) overlap=(?<overlap_ms>[0-9.]+)ms, Stage2_compute=(?<stage2_compute_ms>[0-9.]+)ms, efficiency=(?<efficiency_pct>[0-9.]+)%, strict_efficiency=(?<strict_efficiency_pct>[0-9.]+)%, comparable_compute=(?<comparable_compute_ms>[0-9.]+)ms/;
// `s`: Python's `.` stops only at "\n", which a line no longer holds; JS's would also stop at \r, U+2028.
export const losslessProfileRe =
  /\[LOSSLESS_PROFILE\] side=(?<side>\S+) dir=(?<dir>\S+) stage=(?<stage>\S+) step_id=(?<step_id>[a-f0-9-]+) batch=(?<batch>\d+) (?<body>.+)$/s;
export const stepTimingBreakdownRe =
  /\[STEP_TIMING_BREAKDOWN\] step_id=(?<step_id>\S+) mode=(?<mode>\S+) queue_wait=(?<queue_wait_ms>-?[0-9.]+)ms queue_source=(?<queue_source>\S+) deserialize=(?<deserialize_ms>-?[0-9.]+)ms compute=(?<compute_ms>-?[0-9.]+)ms serialize=(?<serialize_ms>-?[0-9.]+)ms residual=(?<residual_ms>-?[0-9.]+)ms step_total=(?<step_total_ms>-?[0-9.]+)ms total_with_queue=(?<total_with_queue_ms>-?[0-9.]+)ms cross_gpu_window=(?<cross_gpu_window_ms>-?[0-9.]+)ms batch=(?<batch>\d+) seq_inc=(?<seq_inc>-?\d+)(?: raw_seq=(?<raw_seq>-?\d+))? is_spec_dec=(?<is_spec_dec>\d+)/;
/** run_sequenced_tradeoff_sweep.py's shorter variant: it only needs queue_wait. */
export const stepTimingBreakdownShortRe =
  /\[STEP_TIMING_BREAKDOWN\] step_id=(?<step_id>\S+) mode=(?<mode>\S+) queue_wait=(?<queue_wait_ms>-?[0-9.]+)ms queue_source=(?<queue_source>\S+)/;
export const stepTimingBreakdownMbRe =
  /\[STEP_TIMING_BREAKDOWN_MB\] step_id=(?<step_id>\S+) mode=micro_batch expected_mb=(?<expected_mb>\d+) recv_mb=(?<recv_mb>\d+) queue_wait_sum=(?<queue_wait_sum_ms>-?[0-9.]+)ms deserialize_sum=(?<deserialize_sum_ms>-?[0-9.]+)ms compute_sum=(?<compute_sum_ms>-?[0-9.]+)ms serialize=(?<serialize_ms>-?[0-9.]+)ms residual=(?<residual_ms>-?[0-9.]+)ms total=(?<total_ms>-?[0-9.]+)ms queue_sources=(?<queue_sources>\S+)(?: queue_wait_pre=(?<queue_wait_pre_ms>-?[0-9.]+)ms queue_wait_inter=(?<queue_wait_inter_ms>-?[0-9.]+)ms total_with_pre_wait=(?<total_with_pre_wait_ms>-?[0-9.]+)ms)?/;
export const handlerStepTimingRe =
  /\[HANDLER_STEP_TIMING\] step_id=(?<step_id>\S+) queue_wait=(?<queue_wait_ms>-?[0-9.]+)ms queue_source=(?<queue_source>\S+) push_schedule=(?<push_schedule_ms>-?[0-9.]+)ms response_emit=(?<response_emit_ms>-?[0-9.]+)ms handler_total=(?<handler_total_ms>-?[0-9.]+)ms can_push=(?<can_push>[01])/;

const namedValueRe = /(?<key>[A-Za-z0-9_]+)=(?<val>-?[0-9.]+)(?<unit>ms|KB)?/g;

/** `_extract_named_values`: `key=value[ms|KB]` tokens whose key is expected; a repeated key keeps the last. */
export function extractNamedValues(text: string, expected: ReadonlySet<string>): Map<string, number> {
  const values = new Map<string, number>();
  for (const m of text.matchAll(namedValueRe)) {
    const key = m.groups!.key!;
    if (expected.has(key)) values.set(key, pyFloat(m.groups!.val!));
  }
  return values;
}

/** A named group as a float (the group must have matched). */
export function groupFloat(m: RegExpExecArray, name: string): number {
  return pyFloat(m.groups![name]!);
}

/** An optional named group as a float, or undefined when it did not take part in the match. */
export function optionalFloat(m: RegExpExecArray, name: string): number | undefined {
  const v = m.groups![name];
  return v === undefined ? undefined : pyFloat(v);
}

/**
 * The lines of a log as Python reads it: `open(errors="ignore")` with universal newlines
 * (\n, \r\n and a lone \r all end a line; undecodable bytes are dropped).
 */
export function splitLogLines(text: string): string[] {
  const lines = text.replace(/\uFFFD/g, '').split(/\r\n|\r|\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Thrown for a log that cannot be read (the CLI exits 2 naming it). */
export class LogReadError extends Error {
  override readonly name = 'LogReadError';
  constructor(readonly path: string, reason: string) {
    super(`cannot read log ${path}: ${reason}`);
  }
}

export async function readLogLines(path: string): Promise<string[]> {
  const buf = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new LogReadError(path, err.code === 'ENOENT' ? 'no such file' : (err.code ?? err.message));
  });
  return splitLogLines(new TextDecoder('utf-8', { ignoreBOM: true }).decode(buf));
}
