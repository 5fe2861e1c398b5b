// The BloomBee sweep config (cluster_launch_queue.py / run_sequenced_tradeoff_sweep.py JSON), read
// as is — comments and trailing commas tolerated — with the line of every value kept, so each
// problem reads `sweep.json:57: cases[2].vars.batch_size must be an integer`.
import { readFile } from 'node:fs/promises';
import type { Node } from 'jsonc-parser';
import { ConfigError, parseJsonc, pathString, readProblem, type JsonPath } from '../config/jsoncDoc';
import { checkSchema } from '../config/schemaCheck';
import sweepSchema from '../../../schemas/sweep.schema.json';
import { isDict, PyFloat, PyInt, pyStr, type PyDict, type PyValue } from './pyValue';
import { isShellName } from '../shell/quote';

export type { JsonPath };
/** Sweep config problems are the one ConfigError every config file uses. */
export type SweepConfigError = ConfigError;

export interface SweepConfig {
  file: string;
  /** The whole document, as Python's json.load returns it (written back as config_used.json). */
  raw: PyDict;
  hostDefaults: PyDict;
  hosts: PyDict;
  schedule: PyDict;
  sharedVars: PyDict;
  commands: PyDict;
  defaultEnv: PyDict;
  cases: { index: number; name: string; vars: PyDict; env: PyDict }[];
  /** Roles started in the background, in start order, and the one run in the foreground. */
  roles: { background: string[]; foreground: string; shared: string[] };
  /** Problems Python would have ignored silently (unknown keys, a non-object env section). */
  warnings: string[];
  /** An error at `path` (or its nearest existing parent), naming file, line and field. */
  error(path: JsonPath, problem: string): SweepConfigError;
}

export const defaultRoles = { background: ['dht', 'server1', 'server2'], foreground: 'client', shared: ['dht'] };

export async function parseSweepConfig(path: string): Promise<SweepConfig> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ConfigError(path, 1, '', `cannot be read (${readProblem(err)})`);
  });
  return parseSweepConfigText(text, path);
}

export function parseSweepConfigText(text: string, file: string): SweepConfig {
  const { root, lineAt, errors } = parseJsonc(text, file);
  if (errors.length) throw errors[0]!;
  if (!root || root.type !== 'object') throw new ConfigError(file, 1, '', 'must contain a JSON object');
  const offsets = new Map<string, number>();
  const raw = toPy(root, text, [], offsets) as PyDict;
  const error = (path: JsonPath, problem: string) => {
    for (let p = path; ; p = p.slice(0, -1)) {
      const at = offsets.get(JSON.stringify(p));
      if (at !== undefined || !p.length) return new ConfigError(file, lineAt(at ?? 0), pathString(path), problem);
    }
  };
  const warnings: string[] = [];
  const warn = (path: JsonPath, problem: string) => warnings.push(error(path, problem).message);

  const dict = (key: string, required = false): PyDict => {
    const v = raw.get(key);
    if (v === undefined) {
      if (required) throw error([key], 'is required');
      return new Map();
    }
    if (!isDict(v)) throw error([key], 'must be an object');
    return v;
  };
  const roles = parseRoles(raw.get('roles'), error);
  const hosts = dict('hosts', true);
  const commands = dict('commands', true);
  const required = [...roles.background, roles.foreground];
  const missingHosts = required.filter((r) => !hosts.has(r));
  if (missingHosts.length) throw error(['hosts'], `is missing the role${missingHosts.length > 1 ? 's' : ''} ${missingHosts.join(', ')}`);
  for (const [role, entry] of hosts) {
    if (!isDict(entry)) throw error(['hosts', role], 'must be an object like {"host": "alias-or-address"}');
  }
  const missingCmd = required.filter((r) => !commands.has(r));
  if (missingCmd.length) throw error(['commands'], `is missing the command${missingCmd.length > 1 ? 's' : ''} for ${missingCmd.join(', ')}`);
  const defaultEnv = dict('default_env');
  for (const [section, v] of defaultEnv) if (!isDict(v)) warn(['default_env', section], 'is not an object (ignored, as the original did)');
  // Env names are spliced into `export NAME=…` on the hosts: only shell names, or a key becomes code.
  const checkEnvNames = (path: JsonPath, sections: PyDict) => {
    for (const [section, v] of sections) {
      if (!isDict(v)) continue;
      for (const name of v.keys())
        if (name && !isShellName(name))
          throw error(
            [...path, section, name],
            `is not an environment variable name (letters, digits and _, not starting with a digit): ${JSON.stringify(name)}`,
          );
    }
  };
  checkEnvNames(['default_env'], defaultEnv);

  const casesValue = raw.get('cases');
  if (!Array.isArray(casesValue) || !casesValue.length)
    throw error(['cases'], casesValue === undefined ? 'is required (a list of cases)' : 'must be a non-empty list of cases');
  const cases = casesValue.map((c, index) => {
    if (!isDict(c)) throw error(['cases', index], 'must be an object like {"name": ..., "vars": {...}, "env": {...}}');
    const vars = c.get('vars') ?? new Map<string, PyValue>();
    const env = c.get('env') ?? new Map<string, PyValue>();
    if (!isDict(vars)) throw error(['cases', index, 'vars'], 'must be an object of variables');
    if (!isDict(env)) throw error(['cases', index, 'env'], 'must be an object of role sections ("all", "server1", ...)');
    for (const [section, v] of env) if (!isDict(v)) warn(['cases', index, 'env', section], 'is not an object (ignored, as the original did)');
    checkEnvNames(['cases', index, 'env'], env);
    const name = c.get('name');
    return { index, name: name === undefined ? `case_${String(index).padStart(3, '0')}` : pyStr(name), vars, env };
  });
  const runTag = raw.get('schedule') instanceof Map ? (raw.get('schedule') as PyDict).get('run_tag') : undefined;
  if (typeof runTag === 'string' && runTagProblem(runTag.trim())) throw error(['schedule', 'run_tag'], runTagProblem(runTag.trim())!);
  // The schema the editor uses names every key it does not know, with its line (hosts.<role>.*, cases[].*, ...).
  for (const w of checkSchema(sweepSchema, root, file, lineAt).warnings) warnings.push(w.message);
  return {
    file,
    raw,
    hostDefaults: dict('host_defaults'),
    hosts,
    schedule: dict('schedule'),
    sharedVars: dict('shared_vars'),
    commands,
    defaultEnv,
    cases,
    roles,
    warnings,
    error,
  };
}

/** A run tag names a directory under --local-root and the results root: one plain path component. */
export function runTagProblem(tag: string): string | undefined {
  if (!tag) return undefined;
  if (tag === '.' || tag === '..' || /[/\\]/.test(tag) || tag.includes('\0'))
    return `must be a plain name (no "/", "\\" or ".."), not ${JSON.stringify(tag)}: it names a directory under the local root`;
  return undefined;
}

function parseRoles(v: PyValue | undefined, error: (p: JsonPath, m: string) => SweepConfigError): SweepConfig['roles'] {
  if (v === undefined) return defaultRoles;
  if (!isDict(v)) throw error(['roles'], 'must be an object like {"background": ["dht", "server1"], "foreground": "client"}');
  const bg = v.get('background') ?? defaultRoles.background;
  if (!Array.isArray(bg) || !bg.every((r): r is string => typeof r === 'string' && r !== ''))
    throw error(['roles', 'background'], 'must be a list of role names');
  const fg = v.get('foreground') ?? defaultRoles.foreground;
  if (typeof fg !== 'string' || !fg) throw error(['roles', 'foreground'], 'must be a role name');
  if (bg.includes(fg)) throw error(['roles', 'foreground'], `"${fg}" is also a background role`);
  if (new Set(bg).size !== bg.length) throw error(['roles', 'background'], 'lists a role twice');
  const shared = v.get('shared') ?? (bg.includes('dht') ? ['dht'] : []);
  if (!Array.isArray(shared) || !shared.every((r): r is string => typeof r === 'string' && bg.includes(r)))
    throw error(['roles', 'shared'], 'must list background roles');
  return { background: bg, foreground: fg, shared };
}

/** jsonc node → PyValue, recording each value's offset by path. */
function toPy(node: Node, text: string, path: JsonPath, offsets: Map<string, number>): PyValue {
  offsets.set(JSON.stringify(path), node.offset);
  switch (node.type) {
    case 'object': {
      const m: PyDict = new Map();
      for (const prop of node.children ?? []) {
        const key = prop.children![0]!.value as string;
        const valueNode = prop.children![1];
        m.set(key, valueNode ? toPy(valueNode, text, [...path, key], offsets) : null);
        offsets.set(JSON.stringify([...path, key]), prop.offset);
      }
      return m;
    }
    case 'array':
      return (node.children ?? []).map((c, i) => toPy(c, text, [...path, i], offsets));
    case 'number': {
      const literal = text.slice(node.offset, node.offset + node.length);
      return /[.eE]/.test(literal) ? new PyFloat(Number(literal)) : new PyInt(BigInt(literal));
    }
    case 'string':
      return node.value as string;
    case 'boolean':
      return node.value as boolean;
    default:
      return null;
  }
}
