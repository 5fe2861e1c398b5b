// The BloomBee log lines the analysers read (fixtures/bloombee/FORMATS.md §2.4), as the originals'
// regular expressions: searched anywhere in the line, so the hivemind prefix is ignored.
import { LineMatcher } from './lineMatcher';
import { pyFloatAt } from './pyFloat';

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

/** Tags that start each pattern: a line without its tag cannot match it (the stream's prefilter). */
export const tags = {
  networkSummary: '[NETWORK_TX] SUMMARY',
  clientServerEnd: '[CLIENT_SERVER_END]',
  stepLatency: '[STEP_LATENCY]',
  losslessProfile: '[LOSSLESS_PROFILE]',
  mbpipeSummary: '[MBPIPE_SUMMARY]',
  crossStageSummary: '[CROSS_STAGE_OVERLAP_SUMMARY]',
  stepTimingBreakdown: '[STEP_TIMING_BREAKDOWN]',
  stepTimingBreakdownMb: '[STEP_TIMING_BREAKDOWN_MB]',
  handlerStepTiming: '[HANDLER_STEP_TIMING]',
} as const;

const isKeyChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNumChar = (c: number) => (c >= 48 && c <= 57) || c === 46;

const keyLengths = new WeakMap<ReadonlySet<string>, Set<number>>();
/** The key lengths of a set: most keys on a line are not expected, and a length test needs no substring. */
function lengths(keys: ReadonlySet<string>): Set<number> {
  let l = keyLengths.get(keys);
  if (!l) keyLengths.set(keys, (l = new Set([...keys].map((k) => k.length))));
  return l;
}

const prefixes = new WeakMap<ReadonlySet<string>, string>();
/**
 * Where the scan may start: after the last space before the first occurrence of the keys' common
 * prefix ("lossless_" for the server lines). No match contains a space, so from just after one the
 * scan finds the same matches as from the start; an expected key's match cannot start earlier.
 */
function skipTo(text: string, keys: ReadonlySet<string>): number {
  let prefix = prefixes.get(keys);
  if (prefix === undefined) {
    const list = [...keys];
    prefix = list[0] ?? '';
    for (const k of list) while (!k.startsWith(prefix)) prefix = prefix.slice(0, -1);
    prefixes.set(keys, prefix);
  }
  if (prefix.length < 3) return 0;
  const first = text.indexOf(prefix);
  return first < 0 ? text.length : text.lastIndexOf(' ', first) + 1;
}

/**
 * `_extract_named_values`: the tokens `re.finditer(r"([A-Za-z0-9_]+)=(-?[0-9.]+)(ms|KB)?")` finds
 * whose key is expected; a repeated key keeps the last. Found by jumping from '=' to '=' instead
 * of running the regex: the leftmost match from the scan position is at the first '=' that has a
 * key run before it (not reaching back past the scan position) and a value after it, because the
 * key runs of later '=' start after this one. A match then moves the scan position past its value
 * and unit, exactly as finditer does.
 */
export function extractNamedValues(text: string, expected: ReadonlySet<string>): Map<string, number> {
  const values = new Map<string, number>();
  const lens = lengths(expected);
  const n = text.length;
  let scan = skipTo(text, expected);
  let eq = text.indexOf('=', scan);
  while (eq >= 0) {
    let keyStart = eq;
    while (keyStart > scan && isKeyChar(text.charCodeAt(keyStart - 1))) keyStart--;
    let j = eq + 1;
    if (text.charCodeAt(j) === 45) j++;
    const digitsStart = j;
    while (j < n && isNumChar(text.charCodeAt(j))) j++;
    if (keyStart === eq || j === digitsStart) {
      eq = text.indexOf('=', eq + 1);
      continue;
    }
    if (lens.has(eq - keyStart)) {
      const key = text.slice(keyStart, eq);
      if (expected.has(key)) values.set(key, pyFloatAt(text, eq + 1, j));
    }
    const u0 = text.charCodeAt(j);
    const u1 = text.charCodeAt(j + 1);
    scan = (u0 === 109 && u1 === 115) || (u0 === 75 && u1 === 66) ? j + 2 : j; // "ms" | "KB"
    eq = text.indexOf('=', scan);
  }
  return values;
}

/** The patterns as fast matchers (lineMatcher.ts): same matches and groups, no match objects. */
export const matchers = {
  networkSummary: new LineMatcher(networkSummaryRe),
  clientServerEnd: new LineMatcher(clientServerEndRe),
  stepLatency: new LineMatcher(stepLatencyRe),
  losslessProfile: new LineMatcher(losslessProfileRe),
  mbpipeSummary: new LineMatcher(mbpipeSummaryRe),
  crossStageSummary: new LineMatcher(crossStageSummaryRe),
  stepTimingBreakdown: new LineMatcher(stepTimingBreakdownRe),
  stepTimingBreakdownShort: new LineMatcher(stepTimingBreakdownShortRe),
  stepTimingBreakdownMb: new LineMatcher(stepTimingBreakdownMbRe),
  handlerStepTiming: new LineMatcher(handlerStepTimingRe),
};
