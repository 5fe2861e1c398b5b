// The OpenSSH client config (~/.ssh/config): concrete Host aliases, effective settings per alias,
// and an in-place, atomic edit of one Host block (where it is defined, Includes followed) that
// leaves every other line, comment and line ending alone.
import SSHConfig from 'ssh-config';
import { copyFile, mkdir, readFile, readdir, stat, chmod, unlink } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/writeFileAtomic';
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
  /** Timestamped copy of the previous file, when there was one and something was written. */
  backupPath?: string;
  /** The file that was (or would have been) edited: the main config or the included file defining the alias. */
  file: string;
}

/** A line of an ssh config that could not be used (the rest of the file still is). */
export interface SshConfigProblem {
  file: string;
  /** 1-based. */
  line: number;
  message: string;
}

/** Reads and parses a config file, inlining `Include` files where they appear; a missing file is empty. */
export async function readSshConfig(configPath: string): Promise<SSHConfig> {
  return (await readSshConfigChecked(configPath)).config;
}

/** Like readSshConfig, with the lines that had to be skipped (an unterminated quote) named. */
export async function readSshConfigChecked(configPath: string): Promise<{ config: SSHConfig; problems: SshConfigProblem[] }> {
  const problems: SshConfigProblem[] = [];
  const config = SSHConfig.parse(await readWithIncludes(expandHome(configPath), 0, problems));
  return { config, problems };
}

/** Concrete aliases (no `*`, `?` or `!` patterns), in file order, with the line of their Host directive. */
export async function listSshAliases(configPath: string): Promise<SshAlias[]> {
  const text = await readIfExists(expandHome(configPath));
  const aliases: SshAlias[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const m = hasUnbalancedQuote(raw) ? null : /^\s*host(?:\s+|\s*=\s*)(.+)$/i.exec(raw);
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

/** How many timestamped backups of a config Airlock keeps (the oldest go first). */
export const sshConfigBackupsKept = 5;

/** A config update that would not take effect (another block wins), refused before anything stays written. */
export class SshConfigUpdateError extends Error {
  override readonly name = 'SshConfigUpdateError';
}

/**
 * Updates the `Host <alias>` block where it is defined — in the main file or in a file it
 * `Include`s — or adds one where it takes effect: before the first block that already matches the
 * alias (OpenSSH uses the first value it finds), else at the end of the main file. Edits are
 * line-based, so every other line, comment and line ending (CRLF stays CRLF) is kept. The file is
 * replaced atomically through a symlink (a dotfiles repo stays a repo), after a timestamped backup
 * (the last few are kept). The result is then resolved the way `ssh -G` does; if another block
 * still wins, the file is put back and the update refused with the reason.
 */
export async function upsertSshConfigHost(
  configPath: string,
  alias: string,
  fields: SshConfigHostFields,
  opts: { now?: Date } = {},
): Promise<SshConfigUpsertResult> {
  if (!alias || /[\s*?!#"]/.test(alias)) throw new Error(`"${alias}" is not a valid ssh alias (no spaces, wildcards, quotes or #)`);
  const path = expandHome(configPath);
  const wanted = (Object.entries(fields) as [keyof SshConfigHostFields, string | number | undefined][])
    .filter((e): e is [keyof SshConfigHostFields, string | number] => e[1] !== undefined && e[1] !== '')
    .map(([f, v]) => [f, String(v)] as const);
  for (const [f, v] of wanted) if (/[\r\n"]/.test(v)) throw new Error(`${f} must not contain newlines or quotes`);
  const tree = await loadConfigTree(path);
  const blocks = tree.blocks;
  const exact = blocks.find((b) => !b.isMatch && b.patterns.length === 1 && b.patterns[0] === alias);
  const changes: SshConfigFieldChange[] = [];
  let target: ConfigFile;
  if (exact) {
    target = tree.files.get(exact.file)!;
    const lines = target.lines;
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
    if (!changes.length) return { created: false, changes, file: target.path };
  } else {
    const block = [`Host ${alias}`, ...wanted.map(([f, v]) => `    ${f} ${quote(v)}`)];
    const first = blocks.find((b) => !b.isMatch && hostPatternMatches(b.patterns, alias));
    target = tree.files.get(first?.file ?? path)!;
    const lines = target.lines;
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
  const backupPath = target.existed ? await backupConfig(target.path, opts.now ?? new Date()) : undefined;
  await writeConfigFile(target, target.lines.join(target.eol));
  const wrong = await unresolvedFields(path, alias, wanted);
  if (wrong.length) {
    // Put the file back as it was: a change that does not take effect is worse than none.
    if (target.existed) await writeFileAtomic(target.path, target.original);
    else await unlink(target.path).catch(() => undefined);
    throw new SshConfigUpdateError(
      `${wrong.map((w) => `${w.field} of ${alias} would still be ${w.effective ?? '(unset)'}, not ${w.wanted}`).join('; ')}: ` +
        `an earlier block in ${configPath} (or a file it includes) sets it first, as \`ssh -G ${alias}\` shows. Edit or move that block; nothing was changed.`,
    );
  }
  return { created: !exact, changes, backupPath, file: target.path };
}

interface ConfigFile {
  path: string;
  /** Lines without their terminators. */
  lines: string[];
  /** The file's own line ending, kept on write. */
  eol: '\n' | '\r\n';
  original: string;
  existed: boolean;
}

interface HostBlock {
  /** The file that holds the block (the main config or an included one). */
  file: string;
  start: number;
  /** Exclusive: the next Host/Match line or the end of the file. */
  end: number;
  patterns: string[];
  isMatch: boolean;
}

/** Every file of the config (main + Includes) and every Host/Match block in the order ssh reads them. */
async function loadConfigTree(main: string): Promise<{ files: Map<string, ConfigFile>; blocks: HostBlock[] }> {
  const files = new Map<string, ConfigFile>();
  const blocks: HostBlock[] = [];
  const visit = async (path: string, depth: number): Promise<void> => {
    if (files.has(path) || depth > 8) return;
    const existed = await exists(path);
    const original = existed ? await readFile(path, 'utf8') : '';
    const file: ConfigFile = { path, original, existed, eol: original.includes('\r\n') ? '\r\n' : '\n', lines: original.split(/\r?\n/) };
    files.set(path, file);
    let open: HostBlock | undefined;
    for (let i = 0; i < file.lines.length; i++) {
      const line = file.lines[i]!;
      const inc = /^\s*include\s+(.+)$/i.exec(line);
      if (inc) {
        for (const pattern of splitPatterns(inc[1]!)) for (const f of await globFile(includePath(pattern))) await visit(f, depth + 1);
        continue;
      }
      const m = /^\s*(host|match)(?:\s*=\s*|\s+)(.*)$/i.exec(line);
      if (!m) continue;
      if (open) open.end = i;
      open = { file: path, start: i, end: file.lines.length, patterns: splitPatterns(m[2]!.replace(/\s+#.*$/, '')), isMatch: m[1]!.toLowerCase() === 'match' };
      blocks.push(open);
    }
  };
  await visit(main, 0);
  return { files, blocks };
}

/** The fields that `ssh -G alias` would not resolve to the value just written. */
async function unresolvedFields(
  path: string,
  alias: string,
  wanted: readonly (readonly [keyof SshConfigHostFields, string])[],
): Promise<{ field: string; wanted: string; effective?: string }[]> {
  const s = computeSshHost(await readSshConfig(path), alias);
  const effective: Record<keyof SshConfigHostFields, string | undefined> = {
    HostName: s.hostName,
    User: s.user,
    Port: s.port === undefined ? undefined : String(s.port),
    IdentityFile: s.identityFiles[0],
  };
  return wanted
    .filter(([f, v]) => (f === 'IdentityFile' ? !s.identityFiles.includes(expandHome(v)) : effective[f] !== v))
    .map(([f, v]) => ({ field: f, wanted: v, effective: effective[f] }));
}

/** `<config>.airlock-backup-<UTC stamp>` beside the path the user gave; only the newest few are kept. */
async function backupConfig(path: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  let backup = `${path}.airlock-backup-${stamp}`;
  for (let n = 1; await exists(backup); n++) backup = `${path}.airlock-backup-${stamp}-${n}`;
  // copyFile follows a symlink: the backup holds the content, wherever the link points.
  await copyFile(path, backup);
  await chmod(backup, 0o600);
  const prefix = `${basename(path)}.airlock-backup-`;
  const all = (await readdir(dirname(path))).filter((f) => f.startsWith(prefix)).sort();
  for (const old of all.slice(0, Math.max(0, all.length - sshConfigBackupsKept))) await unlink(join(dirname(path), old)).catch(() => undefined);
  return backup;
}

async function writeConfigFile(file: ConfigFile, text: string): Promise<void> {
  const dir = dirname(file.path);
  await mkdir(dir, { recursive: true, mode: dir === join(homedir(), '.ssh') ? 0o700 : undefined });
  // Private (600) as before, new or not; a symlink is written through to its target.
  await writeFileAtomic(file.path, text, { mode: 0o600, forceMode: true });
}

/** OpenSSH Host matching: any positive pattern matches and no negated one does. */
function hostPatternMatches(patterns: string[], alias: string): boolean {
  const glob = (p: string) =>
    new RegExp(
      '^' +
        p
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.') +
        '$',
      'i',
    ).test(alias);
  if (patterns.some((p) => p.startsWith('!') && glob(p.slice(1)))) return false;
  return patterns.some((p) => !p.startsWith('!') && glob(p));
}

const quote = (v: string) => (/\s/.test(v) ? `"${v}"` : v);

/** Include paths: `~` expanded, relative ones under ~/.ssh (as for a user config). */
function includePath(pattern: string): string {
  const expanded = expandHome(pattern);
  return isAbsolute(expanded) ? expanded : join(homedir(), '.ssh', expanded);
}

function splitPatterns(value: string): string[] {
  return [...value.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!).filter(Boolean);
}

async function readWithIncludes(path: string, depth: number, problems: SshConfigProblem[]): Promise<string> {
  const text = await readIfExists(path);
  const lines = text.split(/\r?\n/).map((line, i) => {
    // ssh-config throws on an unterminated quote and the whole file (every host) would be lost:
    // that one line is reported and skipped instead, like any other line ssh itself would reject.
    if (!hasUnbalancedQuote(line)) return line;
    problems.push({ file: path, line: i + 1, message: 'unterminated quote (this line is ignored)' });
    return '';
  });
  if (depth > 8 || !lines.some((l) => /^\s*include\s/i.test(l))) return lines.join('\n');
  const parts: string[] = [];
  for (const line of lines) {
    const m = /^\s*include\s+(.+)$/i.exec(line);
    if (!m) {
      parts.push(line);
      continue;
    }
    for (const pattern of splitPatterns(m[1]!)) {
      for (const file of await globFile(includePath(pattern))) parts.push(await readWithIncludes(file, depth + 1, problems));
    }
  }
  return parts.join('\n');
}

/** A `"` without its partner, outside a comment. */
function hasUnbalancedQuote(line: string): boolean {
  const code = /^\s*#/.test(line) ? '' : line;
  return (code.match(/"/g)?.length ?? 0) % 2 === 1;
}

/** Expands `*` and `?` in the last path component only (enough for `Include config.d/*`). */
async function globFile(path: string): Promise<string[]> {
  const name = basename(path);
  if (!/[*?]/.test(name)) return [path];
  const re = new RegExp(
    '^' +
      name
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  const entries = await readdir(dirname(path)).catch(() => [] as string[]);
  return entries
    .filter((e) => re.test(e))
    .sort()
    .map((e) => join(dirname(path), e));
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
  return stat(path).then(
    () => true,
    () => false,
  );
}
