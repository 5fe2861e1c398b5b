// Per-step aggregates shared by the latency breakdown and the trade-off matrix: the two slowest
// NETWORK_TX spans of a step (one per server stage), kept as they stream past in one flat
// Float64Array (13 doubles a step) instead of an object per entry.

/** A copy of `s` that does not keep the line it was cut from alive (V8 slices strings of 13+ chars). */
export function ownString(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

const fields = ['send_kb', 'recv_kb', 'serialize_ms', 'network_ms', 'deserialize_ms', 'total_ms'] as const;
const width = 1 + 2 * fields.length; // [has second, first entry, second entry]
const NET = 3; // index of network_ms in `fields`

export const stepRecordKeys = [
  'send_total_kb',
  'recv_total_kb',
  'serialize_total_ms',
  'network_total_ms',
  'deserialize_total_ms',
  'network_stack_total_ms',
  'stage0_network_ms',
  'stage1_network_ms',
] as const;
export type StepRecordKey = (typeof stepRecordKeys)[number];

export class StepTable {
  private readonly index = new Map<string, number>();
  private data = new Float64Array(width * 1024);

  get size(): number {
    return this.index.size;
  }

  /** A StepTable as a worker thread posted it. */
  static revive(o: StepTable): StepTable {
    return Object.setPrototypeOf(o, StepTable.prototype) as StepTable;
  }

  /**
   * One NETWORK_TX SUMMARY entry (values in `fields` order). Keeps the two with the largest
   * network_ms, the earlier first on ties, as Python's stable sorted(reverse=True)[:2] does.
   */
  add(stepId: string, v: readonly number[]): void {
    let i = this.index.get(stepId);
    if (i === undefined) {
      i = this.index.size;
      this.index.set(ownString(stepId), i);
      if ((i + 1) * width > this.data.length) {
        const bigger = new Float64Array(this.data.length * 2);
        bigger.set(this.data);
        this.data = bigger;
      }
      this.data.set(v, i * width + 1);
      this.data[i * width] = 0;
      return;
    }
    const d = this.data;
    const b = i * width;
    const has1 = d[b] === 1;
    if (v[NET]! > d[b + 1 + NET]!) {
      d.copyWithin(b + 1 + fields.length, b + 1, b + 1 + fields.length);
      d.set(v, b + 1);
      d[b] = 1;
    } else if (!has1 || v[NET]! > d[b + 1 + fields.length + NET]!) {
      d.set(v, b + 1 + fields.length);
      d[b] = 1;
    }
  }

  /** One StepRecord field per step, in first-seen order (`build_step_records`). */
  column(key: StepRecordKey): number[] {
    const d = this.data;
    const out = new Array<number>(this.index.size);
    const f = { send_total_kb: 0, recv_total_kb: 1, serialize_total_ms: 2, network_total_ms: 3, deserialize_total_ms: 4, network_stack_total_ms: 5 } as Record<
      string,
      number
    >;
    for (let i = 0; i < out.length; i++) {
      const b = i * width;
      const has1 = d[b] === 1;
      if (key === 'stage0_network_ms') out[i] = d[b + 1 + NET]!;
      else if (key === 'stage1_network_ms') out[i] = has1 ? d[b + 1 + fields.length + NET]! : 0;
      // e0[k] + (e1 ? e1[k] : 0): with no second entry this still adds 0 (-0.0 becomes 0.0, as in Python).
      else out[i] = d[b + 1 + f[key]!]! + (has1 ? d[b + 1 + fields.length + f[key]!]! : 0);
    }
    return out;
  }
}
