// OpenSSH known_hosts: reading, matching (plain, [host]:port, comma lists, wildcards, negation,
// hashed |1|salt|hmac names, @revoked / @cert-authority markers) and appending accepted keys.
import { createHash, createHmac } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../fs/writeFileAtomic';

export interface KnownHostLine {
  /** 1-based line number in the file. */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** The raw comma-separated host patterns (may be a hashed `|1|salt|hmac`). */
  patterns: string;
  keyType: string;
  /** Base64 key blob as written in the file. */
  keyBase64: string;
}

export type HostKeyStatus = 'match' | 'unknown' | 'changed' | 'revoked';

export interface HostKeyCheck {
  status: HostKeyStatus;
  /** The file that decided (for `unknown`: the first file looked at, where a key would be added). */
  file: string;
  /** The line that decided a `match`, `changed` or `revoked` result. */
  line?: number;
  /** `changed` because the host is known only by keys of another type: the type on `line`. */
  knownKeyType?: string;
}

/** OpenSSH-style fingerprint of a public key blob: `SHA256:` + unpadded base64 of its SHA-256. */
export function sshFingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...) stored at the start of an SSH public key blob. */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return len > 0 && len < 64 && keyBlob.length >= 4 + len ? keyBlob.subarray(4, 4 + len).toString('latin1') : 'unknown';
}

/** The name OpenSSH looks up in known_hosts: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Parses known_hosts text; malformed lines are skipped (OpenSSH ignores them too). */
export function parseKnownHosts(text: string): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostLine['marker'];
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [patterns, keyType, keyBase64] = fields;
    if (!patterns || !keyType || !keyBase64) return;
    out.push({ line: i + 1, marker, patterns, keyType, keyBase64 });
  });
  return out;
}

/** Whether a known_hosts pattern list (or hashed name) names `host`/`port`. */
export function patternsMatch(patterns: string, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  if (patterns.startsWith('|1|')) return hashedMatches(patterns, name);
  let matched = false;
  for (const raw of patterns.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (globMatch(pattern.toLowerCase(), name.toLowerCase())) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function hashedMatches(entry: string, name: string): boolean {
  const [, , salt, hash] = entry.split('|');
  if (!salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  return re.test(text);
}

/**
 * Checks a server key against known_hosts files, in order (UserKnownHostsFile entries, then
 * GlobalKnownHostsFile ones), as OpenSSH does: `@revoked` anywhere wins; a matching key anywhere is
 * a `match`; a different key of the same type is `changed`; and a host known only by keys of
 * OTHER types is `changed` too — the client asks for the known types first, so a server that
 * presents another one no longer has the key we know (OpenSSH refuses it even under accept-new).
 * Missing files are simply empty.
 */
export async function checkHostKey(files: string | readonly string[], host: string, port: number, keyType: string, keyBlob: Buffer): Promise<HostKeyCheck> {
  const list = typeof files === 'string' ? [files] : files;
  const key = keyBlob.toString('base64');
  const all = await Promise.all(list.map(async (file) => ({ file, lines: parseKnownHosts(await readIfExists(file)) })));
  for (const { file, lines } of all) {
    const revoked = lines.find((l) => l.marker === 'revoked' && l.keyBase64 === key);
    if (revoked) return { status: 'revoked', file, line: revoked.line };
  }
  const applicable = all.flatMap(({ file, lines }) => lines.filter((l) => !l.marker && patternsMatch(l.patterns, host, port)).map((l) => ({ file, l })));
  const same = applicable.find(({ l }) => l.keyType === keyType && l.keyBase64 === key);
  if (same) return { status: 'match', file: same.file, line: same.l.line };
  const other = applicable.find(({ l }) => l.keyType === keyType);
  if (other) return { status: 'changed', file: other.file, line: other.l.line };
  const otherType = applicable[0];
  if (otherType) return { status: 'changed', file: otherType.file, line: otherType.l.line, knownKeyType: otherType.l.keyType };
  return { status: 'unknown', file: list[0] ?? '' };
}

/** Key types the known_hosts files hold for a host, so the client can prefer them during negotiation. */
export async function knownKeyTypes(files: string | readonly string[], host: string, port: number): Promise<string[]> {
  const list = typeof files === 'string' ? [files] : files;
  const lines = (await Promise.all(list.map(async (f) => parseKnownHosts(await readIfExists(f))))).flat();
  return [...new Set(lines.filter((l) => !l.marker && patternsMatch(l.patterns, host, port)).map((l) => l.keyType))];
}

/** Appends `name keyType base64` to known_hosts, creating the file (600) and its directory (700) if needed. */
export async function addKnownHost(file: string, host: string, port: number, keyType: string, keyBlob: Buffer): Promise<void> {
  // Rewritten whole (atomically) rather than appended, so a full disk cannot leave half a line; the
  // read-modify-write is serialised per file, so hosts accepted at the same moment are all kept.
  const previous = addQueue.get(file) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const existing = await readIfExists(file);
      const sep = existing && !existing.endsWith('\n') ? '\n' : '';
      await writeFileAtomic(file, `${existing}${sep}${knownHostsName(host, port)} ${keyType} ${keyBlob.toString('base64')}\n`, { mode: 0o600 });
    });
  addQueue.set(file, next);
  try {
    await next;
  } finally {
    if (addQueue.get(file) === next) addQueue.delete(file);
  }
}

const addQueue = new Map<string, Promise<void>>();

async function readIfExists(file: string): Promise<string> {
  try {
    if (!(await stat(file)).isFile()) return '';
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}
