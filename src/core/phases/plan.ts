// `.airlock/phases.json`: which benchmark entries exist (phases = axes × reruns) and which hosts
// may take them. Every problem names the file, line and field.
import { readFile } from 'node:fs/promises';
import { ConfigError, JsoncDoc } from '../config/jsoncDoc';

export interface Axis {
  name: string;
  values: string[];
}

export interface PhaseDef {
  name: string;
  /** In declaration order: entry names join the values in this order. */
  axes: Axis[];
  reruns: number;
  /** Shell command template: `{axis}`, `{rerun}`, `{entry}`, `{result}`, `{phase}`; `{{`/`}}` for literal braces. */
  command: string;
  /** GPU memory an entry needs; a host with less never takes the phase (hardware tiers). */
  vramGb?: number;
  /** Command whose output is saved with each result (e.g. `pip freeze`); true = `pip freeze`. */
  captureEnv?: string;
  timeoutSec?: number;
  line: number;
}

export interface RunnerDef {
  host: string;
  /** Phases this host takes, in order; all phases when absent. */
  phases?: string[];
  /** Per axis, the values this host may take (e.g. the models that fit it). */
  allow?: Record<string, string[]>;
}

export interface PhasePlan {
  file: string;
  phases: PhaseDef[];
  runners: RunnerDef[];
  /** How long a claim is valid without a heartbeat. */
  leaseSec: number;
}

/** `{name}` placeholders; `{{` and `}}` are literal braces (as in Python's str.format). */
export const templateRe = /\{\{|\}\}|\{([^{}]*)\}/g;

export const builtinVars = ['rerun', 'entry', 'result', 'phase'] as const;
const phaseKeys = ['name', 'axes', 'reruns', 'command', 'vramGb', 'captureEnv', 'timeoutSec', 'description'];

export async function loadPlan(path: string, displayName = path): Promise<PhasePlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      displayName,
      1,
      '',
      `cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)} — create it with the "phases" snippet or see docs/phases.md`,
    );
  }
  return parsePlan(text, displayName);
}

export function parsePlan(text: string, file: string): PhasePlan {
  const doc = JsoncDoc.parse(text, file);
  doc.onlyKeys([], ['$schema', 'phases', 'runners', 'leaseSec']);
  const n = doc.length(['phases']);
  if (doc.node(['phases'])?.type !== 'array' || n === 0) throw doc.error(['phases'], 'must be a non-empty array of phases');
  const phases: PhaseDef[] = [];
  for (let i = 0; i < n; i++) phases.push(parsePhase(doc, i, phases));
  const runners: RunnerDef[] = [];
  for (const host of doc.keys(['runners'])) runners.push(parseRunner(doc, host, phases));
  const leaseSec = doc.integer(['leaseSec'], { min: 5 }) ?? 600;
  return { file, phases, runners, leaseSec };
}

function parsePhase(doc: JsoncDoc, i: number, earlier: PhaseDef[]): PhaseDef {
  const at = ['phases', i];
  doc.onlyKeys(at, phaseKeys);
  const name = doc.string([...at, 'name'], { required: true, nonEmpty: true })!;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw doc.error([...at, 'name'], 'may only contain letters, digits, ".", "_" and "-" (it names a file)');
  if (earlier.some((p) => p.name === name)) throw doc.error([...at, 'name'], `"${name}" is used by an earlier phase`);
  const axisNames = doc.keys([...at, 'axes']);
  if (!axisNames.length) throw doc.error([...at, 'axes'], 'must be an object of axis → list of values, e.g. {"model": ["a","b"]}');
  const axes = axisNames.map((a) => {
    if ((builtinVars as readonly string[]).includes(a)) throw doc.error([...at, 'axes', a], `"${a}" is reserved for the template; rename the axis`);
    const values = doc.value([...at, 'axes', a]);
    if (!Array.isArray(values) || !values.length) throw doc.error([...at, 'axes', a], 'must be a non-empty array of values');
    return {
      name: a,
      values: values.map((v, j) => {
        if (typeof v !== 'string' && typeof v !== 'number') throw doc.error([...at, 'axes', a, j], 'must be a string or a number');
        const s = String(v);
        if (!s || /[/\\\n]|^\.\.?$/.test(s)) throw doc.error([...at, 'axes', a, j], `"${s}" cannot be part of a file name`);
        return s;
      }),
    };
  });
  const reruns = doc.integer([...at, 'reruns'], { min: 1 }) ?? 1;
  const command = doc.string([...at, 'command'], { required: true, nonEmpty: true })!;
  for (const m of command.matchAll(templateRe)) {
    const v = m[1];
    if (v === undefined) continue; // {{ or }}: a literal brace
    if (!axisNames.includes(v) && !(builtinVars as readonly string[]).includes(v)) {
      throw doc.error([...at, 'command'], `uses {${v}}, which is not an axis of phase "${name}" nor one of {${builtinVars.join('}, {')}}`);
    }
  }
  const capture = doc.value([...at, 'captureEnv']);
  if (capture !== undefined && typeof capture !== 'boolean' && typeof capture !== 'string')
    throw doc.error([...at, 'captureEnv'], 'must be true/false or a command such as "pip freeze"');
  return {
    name,
    axes,
    reruns,
    command,
    vramGb: doc.number([...at, 'vramGb'], { min: 0 }),
    captureEnv: capture === true ? 'pip freeze' : typeof capture === 'string' && capture ? capture : undefined,
    timeoutSec: doc.number([...at, 'timeoutSec'], { min: 1 }),
    line: doc.lineAt(doc.node(at)!.offset),
  };
}

function parseRunner(doc: JsoncDoc, host: string, phases: PhaseDef[]): RunnerDef {
  const at = ['runners', host];
  doc.onlyKeys(at, ['phases', 'allow']);
  const r: RunnerDef = { host };
  const ps = doc.value([...at, 'phases']);
  if (ps !== undefined) {
    if (!Array.isArray(ps) || ps.some((p) => typeof p !== 'string')) throw doc.error([...at, 'phases'], 'must be an array of phase names');
    ps.forEach((p: string, j) => {
      if (!phases.some((d) => d.name === p)) throw doc.error([...at, 'phases', j], `"${p}" is not a phase (phases: ${phases.map((d) => d.name).join(', ')})`);
    });
    r.phases = ps as string[];
  }
  for (const axis of doc.keys([...at, 'allow'])) {
    const vs = doc.value([...at, 'allow', axis]);
    if (!Array.isArray(vs)) throw doc.error([...at, 'allow', axis], 'must be an array of values');
    if (!phases.some((p) => p.axes.some((a) => a.name === axis))) throw doc.error([...at, 'allow', axis], `"${axis}" is not an axis of any phase`);
    (r.allow ??= {})[axis] = vs.map(String);
  }
  return r;
}
