// The panel's view state: the host's parsed table (numbers and numeric columns come with it), and
// what the user chose (kept with vscode.setState so hiding and showing the panel loses nothing).
import { defaultAxes, type Better } from '../../src/core/matrix/pareto';
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

/** The user's choice for a column, else the host's (from the column's or the pivot field's name). */
export function betterOf(choices: Choices, m: Model, column: string): Better | undefined {
  return choices.better[column] ?? m.data.better[m.data.header.indexOf(column)] ?? undefined;
}

export function defaultChoices(m: Model, saved?: Partial<Choices>): Choices {
  const pick = (want?: string) => (want && m.data.header.includes(want) ? want : undefined);
  const axes = defaultAxes(m.data.header, m.numeric, m.data.better);
  const x = pick(saved?.x) ?? axes.x;
  const y = pick(saved?.y) ?? axes.y;
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
