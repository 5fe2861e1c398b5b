// Entries of a phase: one per combination of axis values × rerun. An entry's name is its result
// file name, `<v1>_<v2>_…_<rerun>.json` (the original layout). Names are mapped back to values
// through the plan, never by splitting on `_`, so values may contain `_`.
import { shellQuote } from '../process/exec';
import { templateRe, type PhaseDef, type PhasePlan, type RunnerDef } from './plan';

export interface Entry {
  phase: string;
  name: string;
  values: Record<string, string>;
  rerun: number;
}

export class EntryNameCollision extends Error {
  override readonly name = 'EntryNameCollision';
}

/** An entry name the queue cannot carry (a TODO line it would misread, a file name too long). */
export class UnusableEntryName extends Error {
  override readonly name = 'UnusableEntryName';
}

/**
 * Longest entry name in bytes: every file the queue makes of an entry must fit one path component
 * (255 bytes on Linux and macOS); the longest is the worker's `<entry>.pending`.
 */
export const maxEntryBytes = 255 - '.pending'.length;

/** Why the queue cannot carry `name` (undefined when it can). */
export function entryNameProblem(name: string): string | undefined {
  if (/^[#\s]/.test(name))
    return `starts with "${name[0] === '#' ? '#' : 'whitespace'}", which the TODO list reads as ${name[0] === '#' ? 'a comment' : 'padding'}`;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) return 'contains a control character (tab, carriage return, …), which file names and TODO lines cannot carry';
  const bytes = Buffer.byteLength(name);
  if (bytes > maxEntryBytes) return `is ${bytes} bytes long; the queue keeps entries as file names of at most ${maxEntryBytes} bytes`;
  return undefined;
}

/** Throws UnusableEntryName naming the phase, the value at fault and the problem. */
export function checkEntryName(phase: PhaseDef, e: Entry): void {
  const problem = entryNameProblem(e.name);
  if (!problem) return;
  // The value to blame: the first axis for a bad start, else the longest (or the one with the character).
  const values = phase.axes.map((a) => ({ axis: a.name, value: e.values[a.name]! }));
  const culprit = /^(starts)/.test(problem)
    ? values[0]!
    : // eslint-disable-next-line no-control-regex
      (values.find((v) => /[\x00-\x1f\x7f]/.test(v.value)) ?? [...values].sort((a, b) => Buffer.byteLength(b.value) - Buffer.byteLength(a.value))[0]!);
  const shown = culprit.value.length > 60 ? `${culprit.value.slice(0, 57)}…` : culprit.value;
  throw new UnusableEntryName(
    `phase "${phase.name}": value ${JSON.stringify(shown)} of axis "${culprit.axis}" makes the entry name unusable: it ${problem} — change that value`,
  );
}

export function entryName(values: string[], rerun: number): string {
  return `${[...values, String(rerun)].join('_')}.json`;
}

/** Every entry of a phase, in TODO order (axes vary last-axis-fastest, then reruns). */
export function expandPhase(phase: PhaseDef): Entry[] {
  const out: Entry[] = [];
  const seen = new Map<string, string>();
  const walk = (i: number, acc: string[]) => {
    if (i === phase.axes.length) {
      for (let rerun = 0; rerun < phase.reruns; rerun++) {
        const name = entryName(acc, rerun);
        const desc = JSON.stringify([...acc, rerun]);
        const prev = seen.get(name);
        if (prev !== undefined) {
          throw new EntryNameCollision(
            `phase "${phase.name}": values ${prev} and ${desc} both make the entry name ${name}; rename a value (an "_" at a value's edge can cause this)`,
          );
        }
        seen.set(name, desc);
        out.push({ phase: phase.name, name, rerun, values: Object.fromEntries(phase.axes.map((a, j) => [a.name, acc[j]!])) });
      }
      return;
    }
    for (const v of phase.axes[i]!.values) walk(i + 1, [...acc, v]);
  };
  walk(0, []);
  return out;
}

/** Name → entry for every phase of the plan (the inverse of `entryName`). */
export function entryIndex(plan: PhasePlan): Map<string, Entry> {
  const index = new Map<string, Entry>();
  for (const p of plan.phases) {
    for (const e of expandPhase(p)) {
      const other = index.get(e.name);
      if (other)
        throw new EntryNameCollision(`entry ${e.name} appears in phases "${other.phase}" and "${p.name}"; results share one folder, so names must be unique`);
      index.set(e.name, e);
    }
  }
  return index;
}

/** The command for an entry; every value is shell-quoted. */
export function renderCommand(phase: PhaseDef, entry: Entry, resultPath: string): string {
  const vars: Record<string, string> = { ...entry.values, rerun: String(entry.rerun), entry: entry.name, result: resultPath, phase: phase.name };
  return phase.command.replace(templateRe, (m, v: string | undefined) => (v === undefined ? m[0]! : shellQuote(vars[v]!)));
}

/** The runner settings for a host: its own block, or everything allowed when it has none. */
export function runnerFor(plan: PhasePlan, host: string): RunnerDef {
  return plan.runners.find((r) => r.host === host) ?? { host };
}

/** Whether `runner` may take `entry` (phase list and per-axis allow lists). */
export function runnerAllows(runner: RunnerDef, entry: Entry): boolean {
  if (runner.phases && !runner.phases.includes(entry.phase)) return false;
  for (const [axis, allowed] of Object.entries(runner.allow ?? {})) {
    const v = entry.values[axis];
    if (v !== undefined && !allowed.includes(v)) return false;
  }
  return true;
}
