// A finished phase entry as a run to import: its result, log and captured environment as the queue
// holds them (the branch, or the entry's own ref while its result is not folded in yet), the
// provenance the worker published beside them, and who made the commit that published it (the
// worker's host) and when.
import { catFileBatch } from '../phases/gitRead';
import { git } from '../phases/git';
import { layout, stem } from '../phases/layout';
import { parseProvenance } from '../provenance/provenance';
import { UserError } from '../errors/userError';
import type { RunSource } from './importRun';

export interface PhaseEntryRef {
  /** A directory of the queue's clone (the workspace checkout). */
  dir: string;
  /** The commit or ref that holds the entry's result (`HEAD`, `origin/main`, an entry ref's commit). */
  ref: string;
  entry: string;
  phase: string;
  /** Whether the phase captured its environment with `pip freeze` (the default of captureEnv: true). */
  captureEnv?: string;
}

export async function phaseEntrySource(o: PhaseEntryRef, signal?: AbortSignal): Promise<RunSource> {
  const paths = {
    result: layout.result(o.entry),
    log: layout.log(o.entry),
    env: layout.env(o.entry),
    provenance: `${layout.runsDir}/${stem(o.entry)}.provenance`,
  };
  const [result, log, env, provenance] = await catFileBatch(
    o.dir,
    [paths.result, paths.log, paths.env, paths.provenance].map((p) => `${o.ref}:${p}`),
    signal,
  );
  if (!result) throw new UserError(`${o.entry} has no result at ${o.ref} (${paths.result}); refresh the Phases view — it may have been requeued.`);
  // The worker commits under its host's name; that commit's time is when the result was published.
  const who = await git(o.dir, ['log', '-1', '--format=%an%x00%aI', o.ref, '--', paths.result], { allowFail: true, signal });
  const [host, endedAt] = who.code === 0 && who.stdout.includes('\0') ? who.stdout.trim().split('\0') : [];
  const recorded = parseProvenance(provenance?.toString('utf8'));
  const files: RunSource['files'] = [];
  const add = (path: string, data: Buffer | undefined) => data && files.push({ path, read: async () => data });
  add(o.entry, result);
  add(`${stem(o.entry)}.log`, log);
  add(`${stem(o.entry)}.env.txt`, env);
  const freeze = env && /pip\s+freeze|pip\s+list|uv\s+pip/.test(o.captureEnv ?? '') ? env.toString('utf8') : undefined;
  return {
    what: `phase entry ${o.entry} of phase ${o.phase}`,
    ...(host ? { host } : {}),
    ...(endedAt ? { endedAt } : {}),
    ...(recorded ? { provenance: recorded } : {}),
    ...(freeze?.trim() ? { pipFreeze: { text: freeze, source: `\`${o.captureEnv}\` captured by the worker (${paths.env})` } } : {}),
    checkpoints: [],
    files,
  };
}
