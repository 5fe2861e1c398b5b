// `airlock import`: a finished run's logs and results brought into the workspace under
// `experiments/<exp>/runs/<run>/`, its provenance and pip freeze beside them, and a journal entry.
// Where the files come from is a RunSource (a host directory, a phase entry, a sweep case …).
import { mkdir } from 'node:fs/promises';
import { join, posix, relative } from 'node:path';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import { UserError } from '../errors/userError';
import { safeRelative } from '../bundle/manifest';
import { throwIfAborted } from '../process/errors';
import type { Provenance } from '../provenance/provenance';
import { appendJournalEntry, type JournalFacts } from './journalEntry';
import type { CheckpointLocation } from './syncState';

export interface RunFile {
  /** Path inside the run, `/`-separated. */
  path: string;
  read(signal?: AbortSignal): Promise<Uint8Array>;
}

export interface RunSource {
  what: string;
  host?: string;
  gpu?: string;
  tier?: string;
  startedAt?: string;
  endedAt?: string;
  costUsd?: number;
  provenance?: Provenance;
  pipFreeze?: { text: string; source: string };
  checkpoints: CheckpointLocation[];
  files: RunFile[];
}

export interface ImportOptions {
  workspace: string;
  experiment: string;
  run: string;
  /** Relative to the workspace. */
  journal: string;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface ImportResult {
  dir: string;
  files: string[];
  journal: string;
  reimport: boolean;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export async function importRun(source: RunSource, o: ImportOptions): Promise<ImportResult> {
  for (const [what, v] of [
    ['experiment', o.experiment],
    ['run', o.run],
  ] as const)
    if (!namePattern.test(v) || v.includes('..')) throw new UserError(`the ${what} name "${v}" must be letters, digits, ".", "_" or "-"`);
  const rel = posix.join('experiments', o.experiment, 'runs', o.run);
  const dir = join(o.workspace, rel);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const f of source.files) {
    throwIfAborted(o.signal);
    if (!safeRelative(f.path)) continue;
    const target = join(dir, f.path);
    await mkdir(join(target, '..'), { recursive: true });
    await writeFileAtomic(target, await f.read(o.signal));
    written.push(f.path);
  }
  if (source.pipFreeze && !written.includes('frozen_requirements.txt')) {
    await writeFileAtomic(join(dir, 'frozen_requirements.txt'), source.pipFreeze.text.replace(/\s*$/, '\n'));
    written.push('frozen_requirements.txt');
  }
  if (source.provenance) {
    await writeFileAtomic(join(dir, 'airlock-provenance.json'), JSON.stringify(source.provenance, null, 2) + '\n');
    if (!written.includes('airlock-provenance.json')) written.push('airlock-provenance.json');
  }
  const facts: JournalFacts = {
    run: o.run,
    experiment: o.experiment,
    what: source.what,
    ...(source.host ? { host: source.host } : {}),
    ...(source.gpu ? { gpu: source.gpu } : {}),
    ...(source.tier ? { tier: source.tier } : {}),
    ...(source.provenance ? { provenance: source.provenance } : {}),
    ...(source.startedAt ? { startedAt: source.startedAt } : {}),
    ...(source.endedAt ? { endedAt: source.endedAt } : {}),
    ...(source.costUsd !== undefined ? { costUsd: source.costUsd } : {}),
    resultsDir: rel,
    files: written.length,
    ...(source.pipFreeze ? { pipFreeze: source.pipFreeze } : {}),
    checkpoints: source.checkpoints,
    importedAt: o.now?.() ?? new Date(),
  };
  const journalPath = join(o.workspace, o.journal);
  if (relative(o.workspace, journalPath).startsWith('..')) throw new UserError(`the journal ${o.journal} is outside the workspace`);
  const { reimport } = await appendJournalEntry(journalPath, facts);
  return { dir, files: written.sort(), journal: journalPath, reimport };
}

/** `*` within one name, `**` across folders, `?` one character; a pattern without `/` matches a base name anywhere. */
export function globMatcher(patterns: string[]): (path: string) => boolean {
  const res = patterns.map((p) => {
    const anywhere = !p.includes('/');
    let re = '';
    for (let i = 0; i < p.length; i++) {
      const c = p[i]!;
      if (c === '*' && p[i + 1] === '*') {
        re += '.*';
        i++;
        if (p[i + 1] === '/') i++;
      } else if (c === '*') re += '[^/]*';
      else if (c === '?') re += '[^/]';
      else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(anywhere ? `(^|/)${re}$` : `^${re}$`);
  });
  return (path) => res.some((r) => r.test(path));
}
