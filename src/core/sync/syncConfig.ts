// The sync config (`sync.json`, JSONC): which files go to which remote tier, how often, how many
// checkpoints stay on the local disk, and the disk-full guard. Every bad value is a ConfigError
// naming the file, line and field.
import { readFile } from 'node:fs/promises';
import { ConfigError, JsoncDoc, readProblem } from '../config/jsoncDoc';

export type TierName = 'drive' | 'hf';
export const tierNames: readonly TierName[] = ['drive', 'hf'];

export interface DriveTierConfig {
  patterns: string[];
  intervalSec: number;
  /** Folder path under My Drive (or under `rootId`), created when missing. */
  folder: string;
  rootId?: string;
}

export interface HfTierConfig {
  patterns: string[];
  intervalSec: number;
  /** A model repo "namespace/name", created private when missing. */
  repo: string;
  /** Path prefix inside the repo (default: none). */
  pathPrefix: string;
}

export interface SyncConfig {
  file: string;
  drive?: DriveTierConfig;
  hf?: HfTierConfig;
  /** Files the retention rule counts as checkpoints. */
  checkpointPatterns: string[];
  keepLocal: number;
  /** A file counts as complete once its size and mtime stayed the same this long (and no process has it open for writing). */
  settleSec: number;
  scanSec: number;
  diskWarnPct: number;
  diskStopPct: number;
}

/** `*.pt`, `journal.md`, `logs/*.log` against a path relative to the watched dir (`*` never crosses `/`; a pattern without `/` matches the base name). */
export function matchesPattern(rel: string, pattern: string): boolean {
  const target = pattern.includes('/') ? rel : rel.split('/').at(-1)!;
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*/g, '\u0001')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')
      .split('\u0001')
      .join('.*')}$`,
  );
  return re.test(target);
}

export const matchesAny = (rel: string, patterns: readonly string[]) => patterns.some((p) => matchesPattern(rel, p));

function patterns(doc: JsoncDoc, path: (string | number)[], fallback: string[]): string[] {
  const v = doc.value(path);
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || !v.length || v.some((x) => typeof x !== 'string' || !x.trim()))
    throw doc.error(path, 'must be a non-empty list of patterns such as "*.pt"');
  return v as string[];
}

export function parseSyncConfig(text: string, file: string): SyncConfig {
  const doc = JsoncDoc.parse(text, file);
  doc.onlyKeys([], ['tiers', 'retention', 'settleSec', 'scanSec', 'diskWarnPct', 'diskStopPct']);
  doc.onlyKeys(['tiers'], [...tierNames]);
  const c: SyncConfig = {
    file,
    checkpointPatterns: [],
    keepLocal: 0,
    settleSec: doc.number(['settleSec'], { min: 0 }) ?? 5,
    scanSec: doc.number(['scanSec'], { min: 0.05 }) ?? 2,
    diskWarnPct: doc.number(['diskWarnPct'], { min: 0 }) ?? 90,
    diskStopPct: doc.number(['diskStopPct'], { min: 0 }) ?? 98,
  };
  if (doc.has(['tiers', 'drive'])) {
    const p = ['tiers', 'drive'];
    doc.onlyKeys(p, ['patterns', 'intervalSec', 'folder', 'rootId']);
    const rootId = doc.string([...p, 'rootId'], { nonEmpty: true });
    c.drive = {
      patterns: patterns(doc, [...p, 'patterns'], ['*.log', 'journal.md']),
      intervalSec: doc.number([...p, 'intervalSec'], { min: 0 }) ?? 3600,
      folder: doc.string([...p, 'folder'], { required: true, nonEmpty: true })!,
      ...(rootId ? { rootId } : {}),
    };
  }
  if (doc.has(['tiers', 'hf'])) {
    const p = ['tiers', 'hf'];
    doc.onlyKeys(p, ['patterns', 'intervalSec', 'repo', 'pathPrefix']);
    const repo = doc.string([...p, 'repo'], { required: true, nonEmpty: true })!;
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw doc.error([...p, 'repo'], `must be "namespace/name", not "${repo}"`);
    c.hf = {
      patterns: patterns(doc, [...p, 'patterns'], ['*.pt', '*.safetensors']),
      intervalSec: doc.number([...p, 'intervalSec'], { min: 0 }) ?? 7200,
      repo,
      pathPrefix: (doc.string([...p, 'pathPrefix']) ?? '').replace(/^\/+|\/+$/g, ''),
    };
  }
  if (!c.drive && !c.hf) throw doc.error(['tiers'], 'needs at least one remote tier ("drive" or "hf")');
  doc.onlyKeys(['retention'], ['keepLocal', 'patterns']);
  c.keepLocal = doc.integer(['retention', 'keepLocal'], { min: 1 }) ?? 3;
  c.checkpointPatterns = patterns(doc, ['retention', 'patterns'], ['*.pt', '*.safetensors', '*.ckpt']);
  if (c.diskStopPct <= c.diskWarnPct || c.diskStopPct > 100) throw doc.error(['diskStopPct'], `must be above diskWarnPct (${c.diskWarnPct}) and at most 100`);
  return c;
}

export async function loadSyncConfig(file: string): Promise<SyncConfig> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ConfigError(file, 1, '', readProblem(e));
  });
  return parseSyncConfig(text, file);
}
