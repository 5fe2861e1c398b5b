// Shared pieces of the originals' fixed-width text reports.
import { fmt2, padLeft, padRight } from './pyFloat';
import { ValueBag } from './pyStats';

export const rule = '-'.repeat(92);

/** One `metric mean median count` row (statistics.mean / statistics.median, `{:.2f}`). */
export function statRow(label: string, vals: readonly number[] | ValueBag): string {
  const bag = vals instanceof ValueBag ? vals : ValueBag.of(vals);
  return `${padRight(label, 38)} ${padLeft(fmt2(bag.mean()), 12)} ${padLeft(fmt2(bag.median()), 12)} ${padLeft(String(bag.count), 10)}`;
}

export const statHeader = `${padRight('metric', 38)} ${padLeft('mean', 12)} ${padLeft('median', 12)} ${padLeft('count', 10)}`;
