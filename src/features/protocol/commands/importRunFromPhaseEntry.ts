import { phaseEntrySource } from '../../../core/journal/phaseEntrySource';
import { UserError } from '../../../core/errors/userError';
import type { EntryNode } from '../../phases/phaseNodes';
import { type PhaseCommandDeps, refOf, requirePlan } from '../../phases/commands/phaseCommandDeps';
import { importIntoWorkspace } from './importRunShared';

/** Import Run on a done phase entry: its result, log and captured environment from the queue, with the worker's provenance. */
export async function importRunFromPhaseEntry(deps: PhaseCommandDeps, arg: EntryNode | { phaseEntry: string }): Promise<void> {
  const { plan, folder } = requirePlan(deps);
  const found =
    'phaseEntry' in arg
      ? deps.model.status?.phases.flatMap((p) => p.entries.map((status) => ({ phase: p.phase, status }))).find((x) => x.status.entry === arg.phaseEntry)
      : { phase: arg.phase, status: arg.status };
  if (!found) throw new UserError(`${'phaseEntry' in arg ? arg.phaseEntry : ''} is not in the queue's TODO lists; refresh the Phases view.`);
  const { status } = found;
  if (status.state !== 'done') throw new UserError(`${status.entry} has no result to import yet (${status.state}).`);
  const phase = plan.phases.find((p) => p.name === found.phase);
  const ref = status.at ?? refOf(deps.model);
  await importIntoWorkspace(`phase entry ${status.entry}`, status.entry.replace(/\.json$/, ''), (_config, signal) =>
    phaseEntrySource({ dir: folder, ref, entry: status.entry, phase: found.phase, captureEnv: phase?.captureEnv }, signal),
  );
}
