// Where things live in the queue repository (the original tool's layout).
import { posix } from 'node:path';

export const layout = {
  phaseDir: 'data/phase',
  /** TODO lists of a queue on the ref protocol: a folder workers of the branch protocol never read, so they cannot join it. */
  refsPhaseDir: 'data/phase/refs',
  runsDir: 'data/runs',
  claimsDir: 'data/runs/claims',
  failedDir: 'data/runs/failed',
  todo: (phase: string) => `data/phase/${phase}.txt`,
  refsTodo: (phase: string) => `data/phase/refs/${phase}.txt`,
  result: (entry: string) => `data/runs/${entry}`,
  log: (entry: string) => `data/runs/${stem(entry)}.log`,
  env: (entry: string) => `data/runs/${stem(entry)}.env.txt`,
  claim: (entry: string) => `data/runs/claims/${entry}.claim`,
  failed: (entry: string) => `data/runs/failed/${entry}`,
  failedLog: (entry: string) => `data/runs/failed/${stem(entry)}.log`,
};

export function stem(entry: string): string {
  return entry.endsWith('.json') ? entry.slice(0, -5) : entry;
}

/** The entry a repository path belongs to, and what kind of file it is. */
export function classify(
  path: string,
): { kind: 'todo'; phase: string } | { kind: 'refsTodo'; phase: string } | { kind: 'claim' | 'failed' | 'result'; entry: string } | undefined {
  const dir = posix.dirname(path);
  const base = posix.basename(path);
  if (dir === layout.phaseDir && base.endsWith('.txt')) return { kind: 'todo', phase: base.slice(0, -4) };
  if (dir === layout.refsPhaseDir && base.endsWith('.txt')) return { kind: 'refsTodo', phase: base.slice(0, -4) };
  if (dir === layout.claimsDir && base.endsWith('.claim')) return { kind: 'claim', entry: base.slice(0, -6) };
  if (dir === layout.failedDir && base.endsWith('.json')) return { kind: 'failed', entry: base };
  if (dir === layout.runsDir && base.endsWith('.json')) return { kind: 'result', entry: base };
  return undefined;
}
