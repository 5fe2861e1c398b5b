// The OpenSSH client config (~/.ssh/config): concrete Host aliases, effective settings per alias,
// and an in-place, atomic edit of one Host block that leaves every other line and comment alone.
import SSHConfig, { LineType, type Directive, type Line, type Section } from 'ssh-config';
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
  };
}

/**
 * Updates the `Host <alias>` block in place (or appends one), writing atomically with mode 600 and
 * keeping `<config>.airlock-backup`. Other blocks, comments and spacing are preserved byte for byte.
 */
export async function upsertSshConfigHost(configPath: string, alias: string, fields: SshConfigHostFields): Promise<SshConfigUpsertResult> {
  if (!alias || /[\s*?!#]/.test(alias)) throw new Error(`"${alias}" is not a valid ssh alias (no spaces, wildcards or #)`);
  const path = expandHome(configPath);
  const original = await readIfExists(path);
  const config = SSHConfig.parse(original);
  const wanted = Object.entries(fields).filter(([, v]) => v !== undefined && v !== '') as [keyof SshConfigHostFields, string | number][];
  const section = config.find((l: Line) => isHostSection(l) && splitValue(l).length === 1 && splitValue(l)[0] === alias) as Section | undefined;
  const changes: SshConfigFieldChange[] = [];
  let text: string;
  if (section) {
    for (const [field, value] of wanted) {
      const after = String(value);
      const existing = section.config.find((l) => l.type === LineType.DIRECTIVE && (l as Directive).param.toLowerCase() === field.toLowerCase()) as Directive | undefined;
      if (existing) {
        const before = typeof existing.value === 'string' ? existing.value : existing.value.map((v) => v.val).join(' ');
        if (before === after) continue;
        existing.value = after;
        existing.quoted = /\s/.test(after);
        changes.push({ field, before, after });
      } else {
        insertDirective(section, field, after);
        changes.push({ field, after });
      }
    }
    if (!changes.length) return { created: false, changes };
    text = SSHConfig.stringify(config);
  } else {
    const body = wanted.map(([f, v]) => `    ${f} ${/\s/.test(String(v)) ? `"${v}"` : v}\n`).join('');
    const sep = original === '' ? '' : original.endsWith('\n\n') ? '' : original.endsWith('\n') ? '\n' : '\n\n';
    text = `${original}${sep}Host ${alias}\n${body}`;
    for (const [field, v] of wanted) changes.push({ field, after: String(v) });
  }
  const backupPath = await writeAtomically(path, text, original !== '' || (await exists(path)));
  return { created: !section, changes, backupPath };
}

function insertDirective(section: Section, param: string, value: string): void {
  const lines = section.config;
  const directives = lines.filter((l) => l.type === LineType.DIRECTIVE);
  const indent = directives[0]?.before ?? '    ';
  const node: Directive = { type: LineType.DIRECTIVE, param, separator: ' ', value, before: indent, after: '\n', quoted: /\s/.test(value) };
  const lastDirective = lines.lastIndexOf(directives[directives.length - 1] as Line);
  if (lastDirective < 0) {
    lines.push(node);
    return;
  }
  // Step past an inline comment that ends the last directive's line.
  let at = lastDirective + 1;
  while (at < lines.length && !lines[at - 1]!.after.includes('\n')) at++;
  const prev = lines[at - 1]!;
  node.after = prev.after.includes('\n') ? prev.after : '\n';
  prev.after = '\n';
  lines.splice(at, 0, node);
}

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

function isHostSection(l: Line): l is Section {
  return l.type === LineType.DIRECTIVE && (l as Directive).param.toLowerCase() === 'host' && 'config' in l;
}

function splitValue(d: Directive): string[] {
  return typeof d.value === 'string' ? splitPatterns(d.value) : d.value.map((v) => v.val);
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
