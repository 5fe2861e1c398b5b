// The client's [LOSSLESS_PROFILE] rows, aggregated as they stream past instead of kept: per step
// (the breakdown's per-step sums), per (dir, stage) and (dir, batch) group (exact sums for
// statistics.mean; the front/back buckets are merged from the stage groups at the end, when every
// stage start is known), per direction the (ratio, nnz) pairs Pearson needs, and the running
// sums analyze_tradeoff_matrix.py averages with sum/len.
import { pyIntText } from './pyFloat';
import { ExactSum } from './pyStats';
import { ownString } from './stepRecords';

const sumKeys = {
  tx: [
    ['tx_serialize_base_ms', 'serialize_base'],
    ['tx_wrap_ms', 'wrap'],
    ['tx_compress_ms', 'compress'],
    ['tx_raw_kb', 'raw'],
    ['tx_wire_kb', 'wire'],
    ['tx_serialize_calls', 'serialize_calls'],
    ['tx_compress_ok', 'compress_ok'],
    ['tx_act_nnz_sum', 'act_nnz_ratio'],
  ],
  rx: [
    ['rx_deserialize_base_ms', 'deserialize_base'],
    ['rx_unwrap_ms', 'unwrap'],
    ['rx_decompress_ms', 'decompress'],
    ['rx_wire_kb', 'wire'],
    ['rx_raw_kb', 'raw'],
    ['rx_deserialize_calls', 'deserialize_calls'],
    ['rx_decompress_calls', 'decompress_calls'],
    ['rx_act_nnz_sum', 'act_nnz_ratio'],
  ],
} as const;

/** Exact sums of one group's ratio, nnz, raw and wire (the report prints their means) and its row count. */
export class GroupAcc {
  readonly ratio = new ExactSum();
  readonly nnz = new ExactSum();
  readonly raw = new ExactSum();
  readonly wire = new ExactSum();
  add(ratio: number, nnz: number, raw: number, wire: number): void {
    this.ratio.add(ratio);
    this.nnz.add(nnz);
    this.raw.add(raw);
    this.wire.add(wire);
  }
  absorb(o: GroupAcc): void {
    this.ratio.absorb(o.ratio);
    this.nnz.absorb(o.nnz);
    this.raw.absorb(o.raw);
    this.wire.absorb(o.wire);
  }
  get count(): number {
    return this.ratio.count;
  }
  static revive(o: GroupAcc): GroupAcc {
    Object.setPrototypeOf(o, GroupAcc.prototype);
    for (const s of [o.ratio, o.nnz, o.raw, o.wire]) Object.setPrototypeOf(s, ExactSum.prototype);
    return o;
  }
}

/** sum/len of the tradeoff's per-direction columns, added left to right as Python's sum() does. */
export class DirSums {
  rows = 0;
  ratioSum = 0;
  ratioCount = 0;
  compress = 0;
  decompress = 0;
  nnz = 0;
}

/** `_parse_stage_start`: the integer before the first ':' of a stage like "0:20" (exact), else undefined. */
export function stageStart(stage: string): bigint | undefined {
  return pyIntText(stage.split(':', 1)[0]!);
}

/** `outer[a][b]`, created on first use (nested maps: no key string built per row). */
function group<A, B, V>(outer: Map<A, Map<B, V>>, a: A, b: B, make: () => V): V {
  let inner = outer.get(a);
  if (!inner) outer.set(own(a), (inner = new Map()));
  let v = inner.get(b);
  if (!v) inner.set(own(b), (v = make()));
  return v;
}
/** A key kept for the whole run must not hold the chunk its line was cut from. */
const own = <K>(k: K): K => (typeof k === 'string' ? (ownString(k) as K) : k);

// Per step: the eight tx sums, the tx row count, the eight rx sums, the rx row count.
const stepWidth = 18;
const dirOffset = { tx: 0, rx: 9 } as const;

export class LosslessAgg {
  private readonly steps = new Map<string, number>();
  private stepData = new Float64Array(stepWidth * 1024);
  readonly byStage = new Map<string, Map<string, { dir: string; stage: string; acc: GroupAcc }>>();
  readonly byBatch = new Map<string, Map<bigint, { dir: string; batch: bigint; acc: GroupAcc }>>();
  readonly corr = { tx: { ratio: [] as number[], nnz: [] as number[] }, rx: { ratio: [] as number[], nnz: [] as number[] } };
  readonly dirs = { tx: new DirSums(), rx: new DirSums() };

  /** A LosslessAgg as a worker thread posted it (its groups' sums are classes too). */
  static revive(o: LosslessAgg): LosslessAgg {
    Object.setPrototypeOf(o, LosslessAgg.prototype);
    for (const outer of [o.byStage, o.byBatch] as Map<unknown, Map<unknown, { acc: GroupAcc }>>[])
      for (const inner of outer.values()) for (const g of inner.values()) GroupAcc.revive(g.acc);
    Object.setPrototypeOf(o.dirs.tx, DirSums.prototype);
    Object.setPrototypeOf(o.dirs.rx, DirSums.prototype);
    return o;
  }

  /** `keep` false: only the trade-off's per-direction sums (the breakdown's groups and steps are skipped). */
  constructor(private readonly keep = true) {}

  add(dir: string, stage: string, stepId: string, batch: bigint, values: Map<string, number>): void {
    const keep = this.keep;
    let rec = keep ? this.steps.get(stepId) : 0;
    if (rec === undefined) {
      rec = this.steps.size;
      this.steps.set(ownString(stepId), rec);
      if ((rec + 1) * stepWidth > this.stepData.length) {
        const bigger = new Float64Array(this.stepData.length * 2);
        bigger.set(this.stepData);
        this.stepData = bigger;
      }
      this.stepData.fill(0, rec * stepWidth, (rec + 1) * stepWidth);
    }
    const raw = values.get('raw') ?? 0;
    const wire = values.get('wire') ?? 0;
    const ratio = raw > 0 ? wire / raw : (values.get('ratio') ?? 1);
    const nnz = values.get('act_nnz_ratio') ?? 0;
    if (keep) {
      group(this.byStage, dir, stage, () => ({ dir: ownString(dir), stage: ownString(stage), acc: new GroupAcc() })).acc.add(ratio, nnz, raw, wire);
      group(this.byBatch, dir, batch, () => ({ dir: ownString(dir), batch, acc: new GroupAcc() })).acc.add(ratio, nnz, raw, wire);
    }
    if (dir !== 'tx' && dir !== 'rx') return;
    if (keep) {
      const b = rec * stepWidth + dirOffset[dir];
      const keys = sumKeys[dir];
      for (let k = 0; k < keys.length; k++) this.stepData[b + k] += values.get(keys[k]![1]) ?? 0;
      this.stepData[b + 8] += 1;
      this.corr[dir].ratio.push(ratio);
      this.corr[dir].nnz.push(nnz);
    }
    const s = this.dirs[dir];
    s.rows++;
    if (raw > 0) {
      s.ratioSum += wire / raw;
      s.ratioCount++;
    }
    s.compress += values.get('compress') ?? 0;
    s.decompress += values.get('decompress') ?? 0;
    s.nnz += values.get('act_nnz_ratio') ?? 0;
  }

  get stepCount(): number {
    return this.steps.size;
  }

  /**
   * One per-step value for every step in first-seen order (`buildLosslessSteps`): a summed key
   * (tx_raw_kb, ...), or tx_ratio/rx_ratio (wire/raw, 1 without raw) or tx/rx_act_nnz_ratio (mean).
   */
  stepColumn(key: string): number[] {
    const d = this.stepData;
    const n = this.steps.size;
    const out = new Array<number>(n);
    const at = (i: number, dir: 'tx' | 'rx', k: string) => d[i * stepWidth + dirOffset[dir] + sumKeys[dir].findIndex(([x]) => x === k)]!;
    const dir = key.slice(0, 2) as 'tx' | 'rx';
    for (let i = 0; i < n; i++) {
      if (key === `${dir}_ratio`) {
        const raw = at(i, dir, `${dir}_raw_kb`);
        out[i] = raw > 0 ? at(i, dir, `${dir}_wire_kb`) / raw : 1;
      } else if (key === `${dir}_act_nnz_ratio`) {
        const count = d[i * stepWidth + dirOffset[dir] + 8]!;
        out[i] = count > 0 ? at(i, dir, `${dir}_act_nnz_sum`) / count : 0;
      } else out[i] = at(i, dir, key);
    }
    return out;
  }

  /** The (dir, stage, bucket) and (dir, bucket) groups; front = the first half of the sorted stage starts. */
  stageGroups(): { byStage: { dir: string; stage: string; bucket: string; acc: GroupAcc }[]; byBucket: { dir: string; bucket: string; acc: GroupAcc }[] } {
    const stageList = [...this.byStage.values()].flatMap((m) => [...m.values()]);
    const starts = [...new Set(stageList.map((g) => stageStart(g.stage)).filter((s): s is bigint => s !== undefined))].sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    const front = new Set(starts.slice(0, Math.floor((starts.length + 1) / 2)));
    const bucketOf = (stage: string) => {
      const s = stageStart(stage);
      return s === undefined ? 'unknown' : front.has(s) ? 'front' : 'back';
    };
    const byStage = stageList.map((g) => ({ ...g, bucket: bucketOf(g.stage) }));
    const buckets = new Map<string, { dir: string; bucket: string; acc: GroupAcc }>();
    for (const g of byStage) {
      const k = JSON.stringify([g.dir, g.bucket]);
      let b = buckets.get(k);
      if (!b) buckets.set(k, (b = { dir: g.dir, bucket: g.bucket, acc: new GroupAcc() }));
      b.acc.absorb(g.acc);
    }
    return { byStage, byBucket: [...buckets.values()] };
  }
}
