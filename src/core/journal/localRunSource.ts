// A run whose files are already on this machine — a sweep case collected into
// `<local_root>/<case_tag>/`, a notebook run's downloaded results: the result files that match the
// include patterns, the provenance the run recorded there, and `pip freeze` only when the run wrote
// `frozen_requirements.txt` (this machine's packages say nothing about the one it ran on).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parseProvenance } from '../provenance/provenance';
import { provenanceFileName } from '../provenance/sweepProvenance';
import { UserError } from '../errors/userError';
import { globMatcher, type RunSource } from './importRun';
import { checkpointsFromSyncState, syncStateFile } from './syncState';

export interface LocalRunFacts {
  /** "sweep case 003_r0.5 of run bench-7 (sweeps/bench.json)". */
  what: string;
  host?: string;
  gpu?: string;
  tier?: string;
  startedAt?: string;
  endedAt?: string;
}

export interface LocalRunOptions {
  include: string[];
  maxFileBytes?: number;
}

const maxListed = 5000;

export async function localRunSource(dir: string, facts: LocalRunFacts, o: LocalRunOptions): Promise<RunSource> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new UserError(`${dir} does not exist (was the run collected or downloaded?)`);
  const wanted = globMatcher(o.include);
  const max = o.maxFileBytes ?? 50 * 1024 * 1024;
  const found: { path: string; size: number; mtimeMs: number }[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      if (found.length >= maxListed) return;
      const p = rel ? posix.join(rel, e.name) : e.name;
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== '__pycache__' && e.name !== '.airlock') await walk(p);
      } else if (e.isFile()) {
        const s = await stat(join(dir, p));
        found.push({ path: p, size: s.size, mtimeMs: s.mtimeMs });
      }
    }
  };
  await walk('');
  const picked = found.filter((f) => f.size <= max && wanted(f.path) && f.path !== provenanceFileName);
  const text = (rel: string) => readFile(join(dir, rel), 'utf8').catch(() => undefined);
  const recorded = parseProvenance(await text(provenanceFileName));
  const frozen = await text('frozen_requirements.txt');
  const syncState = await text(syncStateFile);
  const times = picked.map((f) => f.mtimeMs).sort((a, b) => a - b);
  return {
    what: facts.what,
    ...(facts.host ? { host: facts.host } : {}),
    ...(facts.gpu ? { gpu: facts.gpu } : {}),
    ...(facts.tier ? { tier: facts.tier } : {}),
    ...(facts.startedAt ? { startedAt: facts.startedAt } : times.length ? { startedAt: new Date(times[0]!).toISOString() } : {}),
    ...(facts.endedAt ? { endedAt: facts.endedAt } : times.length ? { endedAt: new Date(times.at(-1)!).toISOString() } : {}),
    ...(recorded ? { provenance: recorded } : {}),
    ...(frozen?.trim() ? { pipFreeze: { text: frozen, source: `frozen_requirements.txt written by the run` } } : {}),
    checkpoints: syncState ? checkpointsFromSyncState(syncState) : [],
    files: picked.map((f) => ({ path: f.path, read: () => readFile(join(dir, f.path)) })),
  };
}

/** The facts of a collected sweep case, from the sweep's own record of it. */
export function sweepCaseFacts(c: { runTag: string; configPath: string; tag: string; hosts: string[]; startedAt?: number; endedAt?: number }): LocalRunFacts {
  const hosts = [...new Set(c.hosts)];
  return {
    what: `sweep case ${c.tag} of run ${c.runTag || 'sweep'} (${c.configPath})`,
    ...(hosts.length ? { host: hosts.join(', ') } : {}),
    ...(c.startedAt ? { startedAt: new Date(c.startedAt).toISOString() } : {}),
    ...(c.endedAt ? { endedAt: new Date(c.endedAt).toISOString() } : {}),
  };
}
