// Reading a bundle back: its manifest, and its files checked against the manifest's hashes (a
// bundle truncated in transfer or edited by hand is refused before anything is unpacked).
import { unzipSync } from 'fflate';
import { checkManifest, manifestName, patchName, safeRelative, sha256, type BundleManifest } from './manifest';

export interface OpenedBundle {
  sha256: string;
  manifest: BundleManifest;
  files: Map<string, Uint8Array>;
  patch?: Uint8Array;
}

export class BundleFormatError extends Error {
  override readonly name = 'BundleFormatError';
}

export function openBundle(zip: Uint8Array, file: string): OpenedBundle {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (err) {
    throw new BundleFormatError(`${file} is not a readable zip archive (${(err as Error).message}); export it again`);
  }
  const raw = entries[manifestName];
  if (!raw) throw new BundleFormatError(`${file} has no ${manifestName}: it was not made by "airlock export"`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (err) {
    throw new BundleFormatError(`${file}: ${manifestName} is not valid JSON (${(err as Error).message})`);
  }
  const manifest = checkManifest(parsed, `${file}: ${manifestName}`);
  const files = new Map<string, Uint8Array>();
  for (const f of manifest.files) {
    const data = entries[f.path];
    if (!data) throw new BundleFormatError(`${file} lacks ${f.path}, which its manifest lists`);
    if (sha256(data) !== f.sha256) throw new BundleFormatError(`${file}: ${f.path} does not match its sha256 in the manifest; the bundle is damaged`);
    files.set(f.path, data);
  }
  for (const name of Object.keys(entries)) {
    if (name === manifestName || name === patchName || name.endsWith('/')) continue;
    if (!safeRelative(name) || !files.has(name)) throw new BundleFormatError(`${file} holds ${JSON.stringify(name)}, which its manifest does not list`);
  }
  return { sha256: sha256(zip), manifest, files, ...(entries[patchName] ? { patch: entries[patchName] } : {}) };
}

/** A manifest file on its own (`verify MANIFEST`) or inside a bundle (`verify BUNDLE`), by content. */
export function readManifestOrBundle(data: Uint8Array, file: string): { manifest: BundleManifest; bundleSha256?: string } {
  const zipMagic = data[0] === 0x50 && data[1] === 0x4b;
  if (zipMagic) {
    const b = openBundle(data, file);
    return { manifest: b.manifest, bundleSha256: b.sha256 };
  }
  const text = Buffer.from(data).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new BundleFormatError(`${file} is neither a bundle (.zip) nor a manifest (JSON): ${(err as Error).message}`);
  }
  // A `.airlock-bundle.json` left on a target holds the manifest too.
  const rec = parsed as { manifest?: unknown; bundleSha256?: unknown };
  if (rec && typeof rec === 'object' && rec.manifest && typeof rec.bundleSha256 === 'string')
    return { manifest: checkManifest(rec.manifest, file), bundleSha256: rec.bundleSha256 };
  return { manifest: checkManifest(parsed, file) };
}
