// Drift: a directory compared with the manifest of the bundle it received. Changed = a listed file
// with another hash, missing = a listed file that is gone, extra = a file under the bundled paths
// the manifest does not list (Python's __pycache__ is ignored: running the code makes it).
import type { HostRunner } from '../hosts/types';
import { remotePathExpr, shellQuote } from '../shell/quote';
import { receivedName, type BundleManifest } from './manifest';

export interface DriftReport {
  clean: boolean;
  changed: string[];
  missing: string[];
  extra: string[];
  /** Files compared, for "N files clean". */
  checked: number;
}

/** The listing script: `sha256sum` over the bundled paths inside `dir`; exit 3 when `dir` is missing. */
export function hashScript(dir: string, paths: string[]): string {
  const roots = paths.map((p) => shellQuote(p)).join(' ');
  return [
    `cd ${remotePathExpr(dir)} 2>/dev/null || { echo "no such directory" >&2; exit 3; }`,
    `for p in ${roots}; do [ -e "$p" ] || continue; find "$p" -name __pycache__ -prune -o -name .git -prune -o -type f ! -name '*.pyc' -print0; done | xargs -0 -r sha256sum --`,
  ].join('\n');
}

/** sha256sum output → path → hash. A name with a backslash or newline is printed escaped with a leading `\`. */
export function parseHashListing(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const escaped = line.startsWith('\\');
    const body = escaped ? line.slice(1) : line;
    const m = /^([0-9a-f]{64}) [ *](.*)$/.exec(body);
    if (!m) continue;
    let path = m[2]!;
    if (escaped) path = path.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
    if (path.startsWith('./')) path = path.slice(2);
    out.set(path, m[1]!);
  }
  return out;
}

export class VerifyTargetError extends Error {
  override readonly name = 'VerifyTargetError';
}

/** Hashes what `dir` on the host holds under the manifest's paths. */
export async function hashOnHost(runner: HostRunner, dir: string, paths: string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const r = await runner.exec(hashScript(dir, paths), { signal });
  if (r.code === 3)
    throw new VerifyTargetError(
      `${runner.host.name}:${dir} does not exist — export the bundle there first (airlock export --host ${runner.host.name} --unpack ${dir})`,
    );
  if (r.code !== 0)
    throw new VerifyTargetError(`could not list ${runner.host.name}:${dir} (exit ${r.code ?? 'signal'}): ${r.stderr.trim().split('\n').slice(-2).join(' ')}`);
  return parseHashListing(r.stdout);
}

export function compareWithManifest(manifest: BundleManifest, actual: Map<string, string>): DriftReport {
  const listed = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  const changed: string[] = [];
  const missing: string[] = [];
  for (const [path, hash] of listed) {
    const got = actual.get(path);
    if (got === undefined) missing.push(path);
    else if (got !== hash) changed.push(path);
  }
  const extra = [...actual.keys()].filter((p) => !listed.has(p) && p !== receivedName).sort();
  return { clean: !changed.length && !missing.length && !extra.length, changed: changed.sort(), missing: missing.sort(), extra, checked: listed.size };
}

export async function verifyOnHost(runner: HostRunner, dir: string, manifest: BundleManifest, signal?: AbortSignal): Promise<DriftReport> {
  return compareWithManifest(manifest, await hashOnHost(runner, dir, manifest.paths, signal));
}

export function driftCount(r: DriftReport): number {
  return r.changed.length + r.missing.length + r.extra.length;
}

/** The lines `verify` prints and Show Drift opens. */
export function renderDrift(r: DriftReport, where: string, manifest: BundleManifest): string {
  if (r.clean) return `${where}: clean — ${r.checked} file(s) match code @ ${manifest.commit.slice(0, 12)}\n`;
  const lines = [`${where}: drifted from code @ ${manifest.commit.slice(0, 12)} — ${driftCount(r)} file(s)`];
  for (const p of r.changed) lines.push(`  changed  ${p}`);
  for (const p of r.missing) lines.push(`  missing  ${p}`);
  for (const p of r.extra) lines.push(`  extra    ${p}`);
  return lines.join('\n') + '\n';
}
