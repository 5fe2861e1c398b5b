// The panel's view state: the host's parsed table (numbers and numeric columns come with it), and
// what the user chose (kept with vscode.setState so hiding and showing the panel loses nothing).
import { guessBetter, type Better } from '../../src/core/matrix/pareto';
import type { MatrixData } from '../../src/shared/matrixProtocol';

export interface Choices {
  hidden: string[];
  sortCol?: string;
  ascending: boolean;
  baseline?: string;
  x?: string;
  y?: string;
  better: Record<string, Better>;
}

export interface Model {
  data: MatrixData;
  values: (number | null)[][];
  numeric: boolean[];
  /** The column that names a row (the first text column, e.g. `name` or `case`). */
  keyCol: number;
}

export function buildModel(data: MatrixData): Model {
  return { data, values: data.values, numeric: data.numeric, keyCol: data.keyCol };
}

export function rowKey(m: Model, i: number): string {
  return m.data.rows[i]![m.keyCol] ?? String(i);
}

export function betterOf(choices: Choices, column: string): Better | undefined {
  return choices.better[column] ?? guessBetter(column);
}

export function defaultChoices(m: Model, saved?: Partial<Choices>): Choices {
  const nums = m.data.header.filter((_, c) => m.numeric[c]);
  const pick = (want?: string) => (want && m.data.header.includes(want) ? want : undefined);
  // Latency against throughput when the columns exist (BloomBee's matrices), else the first two metrics.
  const x = pick(saved?.x) ?? nums.find((c) => guessBetter(c) === 'min') ?? nums[0];
  const y =
    pick(saved?.y) ??
    nums.find((c) => guessBetter(c) === 'max' && c !== x) ??
    nums.find((c) => /kb|bytes|wire/i.test(c) && c !== x) ??
    nums.find((c) => guessBetter(c) === 'min' && c !== x) ??
    nums.find((c) => c !== x);
  return {
    hidden: (saved?.hidden ?? []).filter((h) => m.data.header.includes(h)),
    sortCol: pick(saved?.sortCol),
    ascending: saved?.ascending ?? true,
    baseline: saved?.baseline,
    x,
    y,
    better: saved?.better ?? {},
  };
}
