// What code a run ran with: the commit and dirty flag of the folder it started in, and — when
// that folder (or a parent) received a bundle — the bundle's hash and commit. Phases, sweeps and
// notebook dispatch each write this record beside their results; `airlock import` reads it.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { git } from '../phases/git';
import { receivedName, type ReceivedRecord } from '../bundle/manifest';

export const provenanceFormat = 'airlock-provenance/1';

/** A provenance record read back from a run (a file, a blob): undefined unless it is ours and parses. */
export function parseProvenance(text: string | undefined): Provenance | undefined {
  const p = parseJsonOrUndefined<Provenance>(text);
  return p?.format === provenanceFormat ? p : undefined;
}

/** JSON written by another machine: undefined when empty or malformed (the reader goes on without it). */
export function parseJsonOrUndefined<T>(text: string | undefined): T | undefined {
  if (!text?.trim()) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

export interface Provenance {
  format: typeof provenanceFormat;
  /** The commit the code came from: the bundle's when there is one, else the checkout's HEAD. */
  commit: string | null;
  /** True when files under the checkout differed from that commit (git status), or the bundle was made with --allow-dirty. */
  dirty: boolean;
  dirtyFiles: string[];
  bundleSha256: string | null;
  recordedAt: string;
}

/** Never throws: a run is not stopped because its provenance could not be read (the record says unknown). */
export async function captureProvenance(dir: string, now: Date = new Date()): Promise<Provenance> {
  const received = await findReceived(dir);
  if (received) {
    const dirtyFiles = received.manifest.dirty?.files ?? [];
    return {
      format: provenanceFormat,
      commit: received.manifest.commit,
      dirty: received.manifest.dirty !== null,
      dirtyFiles,
      bundleSha256: received.bundleSha256,
      recordedAt: now.toISOString(),
    };
  }
  const head = await git(dir, ['rev-parse', '--verify', '-q', 'HEAD'], { allowFail: true }).catch(() => undefined);
  if (!head || head.code !== 0)
    return { format: provenanceFormat, commit: null, dirty: false, dirtyFiles: [], bundleSha256: null, recordedAt: now.toISOString() };
  const status = await git(dir, ['status', '--porcelain=v1', '--untracked-files=no'], { allowFail: true }).catch(() => undefined);
  const dirtyFiles = (status?.stdout ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
  return { format: provenanceFormat, commit: head.stdout.trim(), dirty: dirtyFiles.length > 0, dirtyFiles, bundleSha256: null, recordedAt: now.toISOString() };
}

async function findReceived(dir: string): Promise<ReceivedRecord | undefined> {
  for (let d = dir, i = 0; i < 32; d = dirname(d), i++) {
    const text = await readFile(join(d, receivedName), 'utf8').catch(() => undefined);
    if (text) {
      try {
        const rec = JSON.parse(text) as ReceivedRecord;
        if (typeof rec.bundleSha256 === 'string' && rec.manifest && typeof rec.manifest.commit === 'string') return rec;
      } catch {
        /* a damaged record is the same as none */
      }
    }
    if (dirname(d) === d) break;
  }
  return undefined;
}

export function provenanceJson(p: Provenance): string {
  return JSON.stringify(p, null, 2) + '\n';
}

/** "abc1234 · bundle 9f8e7d6c · dirty (2 files)" for journals and tooltips. */
export function provenanceLine(p: Pick<Provenance, 'commit' | 'dirty' | 'dirtyFiles' | 'bundleSha256'>): string {
  const parts = [p.commit ? p.commit.slice(0, 12) : 'unknown commit'];
  if (p.bundleSha256) parts.push(`bundle ${p.bundleSha256.slice(0, 12)}`);
  if (p.dirty) parts.push(`dirty (${p.dirtyFiles.length} file${p.dirtyFiles.length === 1 ? '' : 's'})`);
  return parts.join(' · ');
}
