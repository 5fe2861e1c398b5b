// `airlock-manifest.json`, the first entry of every bundle: which commit, which files (size and
// sha256 each), made when and by which Airlock. `verify` compares a directory against it.
import { createHash } from 'node:crypto';

export const manifestName = 'airlock-manifest.json';
export const patchName = 'airlock-uncommitted.patch';
/** Written into the directory a bundle was unpacked into: the manifest and the bundle's own hash. */
export const receivedName = '.airlock-bundle.json';
export const manifestFormat = 'airlock-bundle/1';

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
  /** `100755` for executables, `120000` for a symlink (stored as a file holding its target). */
  mode?: string;
}

export interface BundleManifest {
  format: typeof manifestFormat;
  tool: { name: 'airlock'; version: string };
  createdAt: string;
  commit: string;
  branch: string | null;
  remote: string | null;
  paths: string[];
  files: ManifestFile[];
  /** Set only for `--allow-dirty`: what was uncommitted; the bundled files are still the commit's. */
  dirty: { files: string[]; untracked: string[]; patch: string | null; patchSha256: string | null } | null;
}

/** What a target directory holds about the bundle it received. */
export interface ReceivedRecord {
  bundleSha256: string;
  unpackedAt: string;
  manifest: BundleManifest;
}

export const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** Checks a parsed manifest's shape; the message names the field, for a manifest edited by hand or truncated. */
export function checkManifest(value: unknown, file: string): BundleManifest {
  const bad = (field: string, problem: string) => new Error(`${file}: ${field} ${problem}`);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad('the manifest', 'must be a JSON object');
  const m = value as Record<string, unknown>;
  if (m.format !== manifestFormat) throw bad('format', `must be "${manifestFormat}" (this is not an Airlock bundle manifest, or a newer one)`);
  if (typeof m.commit !== 'string' || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(m.commit)) throw bad('commit', 'must be a full commit hash');
  if (!Array.isArray(m.paths) || !m.paths.every((p) => typeof p === 'string')) throw bad('paths', 'must be an array of strings');
  if (!Array.isArray(m.files)) throw bad('files', 'must be an array');
  m.files.forEach((f, i) => {
    const e = f as Record<string, unknown>;
    if (!e || typeof e.path !== 'string' || !safeRelative(e.path)) throw bad(`files[${i}].path`, 'must be a relative path inside the bundle');
    if (typeof e.size !== 'number' || !Number.isSafeInteger(e.size) || e.size < 0) throw bad(`files[${i}].size`, 'must be a byte count');
    if (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) throw bad(`files[${i}].sha256`, 'must be 64 hex digits');
  });
  return value as BundleManifest;
}

/** A path that stays inside the directory it is unpacked into (no `..`, not absolute, no NUL). */
export function safeRelative(path: string): boolean {
  if (!path || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}
