import { join } from 'node:path';
import { UserError } from '../../../core/errors/userError';
import { localRunSource, sweepCaseFacts } from '../../../core/journal/localRunSource';
import type { CaseView, SweepRun } from '../../../core/sweep/sweepRun';
import { importIntoWorkspace } from './importRunShared';

/** Import Run on a collected sweep case's row: `<local_root>/<case_tag>/` with the case's hosts and times. */
export async function importRunFromSweepCase(
  runs: readonly SweepRun[],
  arg: { run: SweepRun; c: CaseView } | { sweepRun: string; caseIndex: number },
): Promise<void> {
  const run = 'run' in arg ? arg.run : runs.find((r) => r.id === arg.sweepRun);
  const c = 'c' in arg ? arg.c : run?.cases.find((k) => k.index === arg.caseIndex);
  if (!run || !c) throw new UserError('That sweep case is no longer listed in the Sweeps view (runs are kept for this window only).');
  if (c.state !== 'done' || run.dryRun) throw new UserError(`case ${c.tag} has no collected results to import (${run.dryRun ? 'a dry run' : c.state}).`);
  const dir = join(run.localRoot, c.tag);
  const facts = sweepCaseFacts({
    runTag: run.runTag,
    configPath: run.configPath,
    tag: c.tag,
    hosts: c.roles.map((r) => r.host),
    startedAt: c.startedAt,
    endedAt: c.endedAt,
  });
  await importIntoWorkspace(`sweep case ${c.tag}`, c.tag, (config) => localRunSource(dir, facts, { include: config.include }));
}
