// `.airlock/hosts.json` (JSON with comments): parse with positions so every problem names the file,
// the 1-based line and the field, while valid entries still load; and edit it preserving comments.
import { applyEdits, findNodeAtLocation, modify, parseTree, type Node } from 'jsonc-parser';
import { ConfigError, parseJsonc } from '../config/jsoncDoc';
import { checkSchema } from '../config/schemaCheck';
import hostsSchema from '../../../schemas/hosts.schema.json';
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import { dirname } from 'node:path';

/** One entry of `.airlock/hosts.json`, as users write it. */
export interface WorkspaceHostEntry {
  name: string;
  /** Address or ~/.ssh/config alias; defaults to `name`. */
  host?: string;
  user?: string;
  port?: number;
  identityFile?: string;
  proxyJump?: string;
  workDir?: string;
  tier?: string;
  description?: string;
  /** `slurm`: a cluster's login node. */
  scheduler?: 'slurm';
  /** What the machine costs while it runs, in dollars per hour (your own cloud VM). */
  pricePerHour?: number;
  /** Shell command run on this machine (the controller) to stop the host, e.g. `gcloud compute instances stop vm-1 --zone …`. */
  stopCommand?: string;
  /** Warn (and offer Stop Host) after the host has been idle this many minutes; default 30. */
  idleWarnMinutes?: number;
  /** Directories (colon-separated) put first on PATH for the probe, e.g. where the image keeps nvidia-smi. */
  probePath?: string;
}

export interface ParsedHostEntry extends WorkspaceHostEntry {
  /** 1-based line of the entry's opening brace. */
  line: number;
}

/** A problem in hosts.json reads like `.airlock/hosts.json:7: hosts[1].port must be an integer 1-65535`. */
export type HostsConfigError = ConfigError;

const stringFields = ['host', 'user', 'identityFile', 'proxyJump', 'workDir', 'tier', 'description', 'scheduler', 'stopCommand', 'probePath'] as const;
const knownFields = new Set<string>(['name', 'port', ...stringFields.slice(0, 8), 'pricePerHour', 'stopCommand', 'idleWarnMinutes', 'probePath']);

/** Parses hosts.json text; `file` is how messages name it (e.g. `.airlock/hosts.json`). Reserved name: `local`. */
export function parseHostsFile(text: string, file: string): { entries: ParsedHostEntry[]; errors: HostsConfigError[] } {
  const errors: HostsConfigError[] = [];
  const entries: ParsedHostEntry[] = [];
  // A just-created, still empty file is not an error.
  if (!text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '').trim()) return { entries, errors };
  const { root, lineAt: lineOf, errors: syntax } = parseJsonc(text, file);
  errors.push(...syntax);
  if (!root) return { entries, errors };
  // The editor's schema decides the rest of the file: keys it does not know are reported, not fatal.
  if (root.type === 'object') errors.push(...checkSchema(hostsSchema, root, file, lineOf).warnings.filter((w) => !w.field.startsWith('hosts[')));
  if (root.type !== 'object') {
    errors.push(new ConfigError(file, lineOf(root.offset), '', 'the file must be an object like { "hosts": [ ... ] }'));
    return { entries, errors };
  }
  const hosts = findNodeAtLocation(root, ['hosts']);
  if (!hosts) return { entries, errors };
  if (hosts.type !== 'array') {
    errors.push(new ConfigError(file, lineOf(hosts.offset), 'hosts', 'must be an array of host entries'));
    return { entries, errors };
  }
  const seen = new Set<string>();
  (hosts.children ?? []).forEach((node, i) => {
    const entry = parseEntry(node, `hosts[${i}]`, file, lineOf, errors);
    if (!entry) return;
    if (seen.has(entry.name)) {
      errors.push(new ConfigError(file, entry.line, `hosts[${i}].name`, `"${entry.name}" is already used by an earlier entry`));
      return;
    }
    seen.add(entry.name);
    entries.push(entry);
  });
  return { entries, errors };
}

function parseEntry(node: Node, path: string, file: string, lineOf: (o: number) => number, errors: HostsConfigError[]): ParsedHostEntry | undefined {
  const line = lineOf(node.offset);
  if (node.type !== 'object') {
    errors.push(new ConfigError(file, line, path, 'must be an object with at least "name"'));
    return undefined;
  }
  const before = errors.length;
  const entry: Partial<ParsedHostEntry> = { line };
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    const at = lineOf(valueNode.offset);
    const field = `${path}.${key}`;
    const v: unknown = valueNode.value;
    if (!knownFields.has(key)) {
      // Reported but not fatal: a typo such as "hostname" should not hide the host.
      errors.push(new ConfigError(file, lineOf(keyNode.offset), field, `is not a known field (expected one of: ${[...knownFields].join(', ')})`));
    } else if (key === 'port') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) errors.push(new ConfigError(file, at, field, 'must be an integer 1-65535'));
      else entry.port = v;
    } else if (key === 'pricePerHour') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 10_000)
        errors.push(new ConfigError(file, at, field, 'must be a number of dollars per hour, 0-10000 (e.g. 1.2)'));
      else entry.pricePerHour = v;
    } else if (key === 'idleWarnMinutes') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 10_080)
        errors.push(new ConfigError(file, at, field, 'must be a number of minutes, 0-10080 (0 warns at the first idle probe)'));
      else entry.idleWarnMinutes = v;
    } else if (typeof v !== 'string' || valueNode.type !== 'string') {
      errors.push(new ConfigError(file, at, field, 'must be a string'));
    } else if (key === 'name') {
      if (!/^[A-Za-z0-9][A-Za-z0-9._@-]*$/.test(v))
        errors.push(new ConfigError(file, at, field, 'must be a non-empty name of letters, digits, ".", "_", "-", "@"'));
      else if (v === 'local') errors.push(new ConfigError(file, at, field, '"local" is reserved for this machine; pick another name'));
      else entry.name = v;
    } else if (v.trim() === '') {
      errors.push(new ConfigError(file, at, field, 'must not be empty'));
    } else if (key === 'scheduler' && v !== 'slurm') {
      errors.push(new ConfigError(file, at, field, `must be "slurm" (the only scheduler Airlock drives), not "${v}"`));
    } else {
      (entry as Record<string, unknown>)[key] = v;
    }
  }
  const fatal = errors.slice(before).some((e) => !e.problem.startsWith('is not a known field'));
  if (!entry.name && !fatal) errors.push(new ConfigError(file, line, `${path}.name`, 'is required'));
  return fatal || !entry.name ? undefined : (entry as ParsedHostEntry);
}

/**
 * Adds the entry, or updates the entry with the same name field by field (fields set to undefined
 * are removed). Comments and formatting elsewhere are preserved. Creates the file and `.airlock/`.
 */
export async function writeWorkspaceHost(file: string, entry: WorkspaceHostEntry): Promise<{ created: boolean }> {
  let text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  if (!text.trim()) text = '{\n  "hosts": []\n}\n';
  // Editing a file that does not parse would bury the user's text under ours: refuse, naming the line.
  const broken = parseJsonc(text, file).errors[0];
  if (broken) throw new ConfigError(file, broken.line, '', `${broken.problem}; fix it before adding a host`);
  const fmt = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };
  const root = parseTree(text, [], { allowTrailingComma: true });
  const hosts = root && findNodeAtLocation(root, ['hosts']);
  if (!hosts) text = applyEdits(text, modify(text, ['hosts'], [], fmt));
  const list = findNodeAtLocation(parseTree(text)!, ['hosts']);
  if (list?.type !== 'array')
    throw new ConfigError(file, list ? parseJsonc(text, file).lineAt(list.offset) : 1, 'hosts', 'is not an array; fix it before adding a host');
  const index = (list.children ?? []).findIndex((n) => n.type === 'object' && findNodeAtLocation(n, ['name'])?.value === entry.name);
  if (index < 0) {
    const clean = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
    text = applyEdits(text, modify(text, ['hosts', list.children?.length ?? 0], clean, { ...fmt, isArrayInsertion: true }));
  } else {
    for (const [k, v] of Object.entries(entry)) {
      if (k === 'name') continue;
      text = applyEdits(text, modify(text, ['hosts', index, k], v, fmt));
    }
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, text);
  return { created: index < 0 };
}
