// Per-step aggregates shared by the latency breakdown and the trade-off matrix: the two slowest
// NETWORK_TX spans of a step (one per server stage).
import type { NetworkEntry, TopTwo } from './logParse';

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

/** The top two entries by network_ms (kept as they stream, see addTopTwo) summed per step. */
export function buildStepRecords(stepNetwork: Map<string, TopTwo>): StepRecord[] {
  const out: StepRecord[] = [];
  for (const [step_id, { e0, e1 }] of stepNetwork) {
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
