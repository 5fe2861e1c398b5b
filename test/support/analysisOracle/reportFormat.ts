// Frozen copy of src/core/analysis/reportFormat.ts at 803aebc (before streaming): the reference the new
// implementation is compared with in test/unit/analysis/oracle.unit.test.ts and bench/analysis.bench.ts.
// Shared pieces of the originals' fixed-width text reports.
import { fmt2, padLeft, padRight } from './pyFloat';
import { exactMean, median } from './pyStats';

export const rule = '-'.repeat(92);

/** One `metric mean median count` row (statistics.mean / statistics.median, `{:.2f}`). */
export function statRow(label: string, vals: readonly number[]): string {
  return `${padRight(label, 38)} ${padLeft(fmt2(exactMean(vals)), 12)} ${padLeft(fmt2(median(vals)), 12)} ${padLeft(String(vals.length), 10)}`;
}

export const statHeader = `${padRight('metric', 38)} ${padLeft('mean', 12)} ${padLeft('median', 12)} ${padLeft('count', 10)}`;
