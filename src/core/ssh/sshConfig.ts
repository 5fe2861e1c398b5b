// The OpenSSH client config (~/.ssh/config): concrete Host aliases, effective settings per alias,
// and an in-place, atomic edit of one Host block that leaves every other line and comment alone.
import SSHConfig from 'ssh-config';
import { copyFile, mkdir, readFile, readdir, rename, stat, writeFile, chmod, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { expandHome } from '../process/runLocal';

export interface SshAlias {
  alias: string;
  /** 1-based line of the `Host` directive, for "open config at alias". */
  line: number;
}

/** Effective settings of one alias, as `ssh -G` would compute them (first value wins; IdentityFile accumulates). */
export interface SshHostSettings {
  alias: string;
  hostName: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: string;
  userKnownHostsFile?: string;
  /** Every file of UserKnownHostsFile, when the config sets it (`none` = no file). */
  userKnownHostsFiles?: string[];
  /** Every file of GlobalKnownHostsFile, when the config sets it. */
  globalKnownHostsFiles?: string[];
}

/** Fields `upsertSshConfigHost` writes; undefined fields are left as they are. */
export interface SshConfigHostFields {
  HostName?: string;
  User?: string;
  Port?: number;
  IdentityFile?: string;
}

export interface SshConfigFieldChange {
  field: keyof SshConfigHostFields;
  before?: string;
  after: string;
}

export interface SshConfigUpsertResult {
  /** True when a new Host block was appended. */
  created: boolean;
  changes: SshConfigFieldChange[];
  /** Copy of the previous file, when there was one and something was written. */
  backupPath?: string;
}

/** Reads and parses a config file, inlining `Include` files where they appear; a missing file is empty. */
export async function readSshConfig(configPath: string): Promise<SSHConfig> {
  return SSHConfig.parse(await readWithIncludes(expandHome(configPath), 0));
}

/** Concrete aliases (no `*`, `?` or `!` patterns), in file order, with the line of their Host directive. */
export async function listSshAliases(configPath: string): Promise<SshAlias[]> {
  const text = await readIfExists(expandHome(configPath));
  const aliases: SshAlias[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const m = /^\s*host(?:\s+|\s*=\s*)(.+)$/i.exec(raw);
    if (!m) return;
    for (const name of splitPatterns(m[1]!.replace(/\s+#.*$/, ''))) {
      if (/[*?!]/.test(name) || seen.has(name)) continue;
      seen.add(name);
      aliases.push({ alias: name, line: i + 1 });
    }
  });
  return aliases;
}

/** Effective HostName/User/Port/IdentityFile/ProxyJump for `alias` (HostName defaults to the alias). */
export async function resolveSshHost(configPath: string, alias: string): Promise<SshHostSettings> {
  return computeSshHost(await readSshConfig(configPath), alias);
}

export function computeSshHost(config: SSHConfig, alias: string): SshHostSettings {
  // matchExec: false — never run `Match exec` commands from a config just to list hosts.
  const c = config.compute(alias, { ignoreCase: true, matchExec: false });
  const one = (k: string) => {
    const v = c[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const port = Number(one('port'));
  const ids = c['identityfile'];
  const hostName = (one('hostname') ?? alias).replace(/%h/g, alias);
  const proxyJump = one('proxyjump');
  return {
    alias,
    hostName,
    user: one('user'),
    port: Number.isInteger(port) && port > 0 ? port : undefined,
    identityFiles: (Array.isArray(ids) ? ids : ids ? [ids] : []).map(expandHome),
    proxyJump: proxyJump && proxyJump.toLowerCase() !== 'none' ? proxyJump : undefined,
    userKnownHostsFile: one('userknownhostsfile')?.split(/\s+/)[0],
    ...fileList('userKnownHostsFiles', c['userknownhostsfile']),
    ...fileList('globalKnownHostsFiles', c['globalknownhostsfile']),
  };
}

/** A multi-file directive (`UserKnownHostsFile a b`), only when set, so callers can apply OpenSSH's defaults. */
function fileList<K extends string>(key: K, v: string | string[] | undefined): Partial<Record<K, string[]>> {
  if (v === undefined) return {};
  const files = (Array.isArray(v) ? v : [v]).flatMap((x) => splitPatterns(x)).filter((f) => f.toLowerCase() !== 'none');
  return { [key]: files.map(expandHome) } as Partial<Record<K, string[]>>;
}

/**
 * Updates the `Host <alias>` block in place, or adds one where it takes effect: before the first
 * block that already matches the alias (OpenSSH uses the first value it finds), else at the end.
 * Edits are line-based, so every other line and comment stays byte for byte. Writes atomically with
 * mode 600 and keeps `<config>.airlock-backup`.
 */
export async function upsertSshConfigHost(configPath: string, alias: string, fields: SshConfigHostFields): Promise<SshConfigUpsertResult> {
  if (!alias || /[\s*?!#"]/.test(alias)) throw new Error(`"${alias}" is not a valid ssh alias (no spaces, wildcards, quotes or #)`);
  const path = expandHome(configPath);
  const original = await readIfExists(path);
  const wanted = (Object.entries(fields) as [keyof SshConfigHostFields, string | number | undefined][])
    .filter((e): e is [keyof SshConfigHostFields, string | number] => e[1] !== undefined && e[1] !== '')
    .map(([f, v]) => [f, String(v)] as const);
  for (const [f, v] of wanted) if (/[\n"]/.test(v)) throw new Error(`${f} must not contain newlines or quotes`);
  const lines = original.split('\n');
  const blocks = hostBlocks(lines);
  const exact = blocks.find((b) => b.patterns.length === 1 && b.patterns[0] === alias);
  const changes: SshConfigFieldChange[] = [];
  if (exact) {
    let end = exact.end;
    for (const [field, after] of wanted) {
      const re = new RegExp(`^(\\s*${field}(?:\\s*=\\s*|\\s+))("[^"]*"|\\S+)(.*)$`, 'i');
      const at = lines.slice(exact.start + 1, end).findIndex((l) => re.test(l));
      if (at >= 0) {
        const i = exact.start + 1 + at;
        const m = re.exec(lines[i]!)!;
        const before = m[2]!.replace(/^"|"$/g, '');
        if (before === after) continue;
        lines[i] = `${m[1]}${quote(after)}${m[3]}`;
        changes.push({ field, before, after });
      } else {
        // After the block's last directive, so trailing blank lines and the next block's comments stay put.
        let last = exact.start;
        for (let i = exact.start + 1; i < end; i++) if (/^\s*[^\s#]/.test(lines[i]!)) last = i;
        const indent = /^(\s+)\S/.exec(lines[exact.start + 1] ?? '')?.[1] ?? '    ';
        lines.splice(last + 1, 0, `${indent}${field} ${quote(after)}`);
        end++;
        changes.push({ field, after });
      }
    }
    if (!changes.length) return { created: false, changes };
  } else {
    const block = [`Host ${alias}`, ...wanted.map(([f, v]) => `    ${f} ${quote(v)}`)];
    const first = blocks.find((b) => !b.isMatch && hostPatternMatches(b.patterns, alias));
    if (first) {
      // Keep the comment lines that introduce the existing block attached to it.
      let at = first.start;
      while (at > 0 && /^\s*#/.test(lines[at - 1]!)) at--;
      lines.splice(at, 0, ...block, '');
    } else {
      while (lines.length && lines[lines.length - 1] === '') lines.pop();
      if (lines.length) lines.push('');
      lines.push(...block, '');
    }
    for (const [field, after] of wanted) changes.push({ field, after });
  }
  const backupPath = await writeAtomically(path, lines.join('\n'), await exists(path));
  return { created: !exact, changes, backupPath };
}

interface HostBlock {
  start: number;
  /** Exclusive: the next Host/Match line or the end of the file. */
  end: number;
  patterns: string[];
  isMatch: boolean;
}

function hostBlocks(lines: string[]): HostBlock[] {
  const blocks: HostBlock[] = [];
  lines.forEach((line, i) => {
    const m = /^\s*(host|match)(?:\s*=\s*|\s+)(.*)$/i.exec(line);
    if (!m) return;
    if (blocks.length) blocks[blocks.length - 1]!.end = i;
    blocks.push({ start: i, end: lines.length, patterns: splitPatterns(m[2]!.replace(/\s+#.*$/, '')), isMatch: m[1]!.toLowerCase() === 'match' });
  });
  return blocks;
}

/** OpenSSH Host matching: any positive pattern matches and no negated one does. */
function hostPatternMatches(patterns: string[], alias: string): boolean {
  const glob = (p: string) => new RegExp('^' + p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i').test(alias);
  if (patterns.some((p) => p.startsWith('!') && glob(p.slice(1)))) return false;
  return patterns.some((p) => !p.startsWith('!') && glob(p));
}

const quote = (v: string) => (/\s/.test(v) ? `"${v}"` : v);

async function writeAtomically(path: string, text: string, hadFile: boolean): Promise<string | undefined> {
  const dir = dirname(path);
  const isDefaultSshDir = dir === join(homedir(), '.ssh');
  await mkdir(dir, { recursive: true, mode: isDefaultSshDir ? 0o700 : undefined });
  let backupPath: string | undefined;
  if (hadFile) {
    backupPath = `${path}.airlock-backup`;
    await copyFile(path, backupPath);
    await chmod(backupPath, 0o600);
  }
  const tmp = join(dir, `.${basename(path)}.airlock-${process.pid}-${Date.now()}.tmp`);
  try {
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  return backupPath;
}

function splitPatterns(value: string): string[] {
  return [...value.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!).filter(Boolean);
}

async function readWithIncludes(path: string, depth: number): Promise<string> {
  const text = await readIfExists(path);
  if (depth > 8 || !/^\s*include\s/im.test(text)) return text;
  const parts: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*include\s+(.+)$/i.exec(line);
    if (!m) {
      parts.push(line);
      continue;
    }
    for (const pattern of splitPatterns(m[1]!)) {
      const expanded = expandHome(pattern);
      const full = isAbsolute(expanded) ? expanded : join(homedir(), '.ssh', expanded);
      for (const file of await globFile(full)) parts.push(await readWithIncludes(file, depth + 1));
    }
  }
  return parts.join('\n');
}

/** Expands `*` and `?` in the last path component only (enough for `Include config.d/*`). */
async function globFile(path: string): Promise<string[]> {
  const name = basename(path);
  if (!/[*?]/.test(name)) return [path];
  const re = new RegExp('^' + name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  const entries = await readdir(dirname(path)).catch(() => [] as string[]);
  return entries.filter((e) => re.test(e)).sort().map((e) => join(dirname(path), e));
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
