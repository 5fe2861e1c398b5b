// What the Phases view and `airlock phases status` show: per phase, counts by state and every
// entry with who holds it since when.
import { isStale, type Claim } from './claims';
import { expandPhase } from './entries';
import type { PhasePlan } from './plan';
import type { FailureRecord, QueueSnapshot } from './snapshot';

export type EntryState = 'todo' | 'claimed' | 'running' | 'stale' | 'done' | 'failed';
export const entryStates: EntryState[] = ['todo', 'claimed', 'running', 'stale', 'done', 'failed'];

export interface EntryStatus {
  entry: string;
  state: EntryState;
  claim?: Claim;
  failure?: FailureRecord;
  /** A result not yet folded into the branch: the commit (of its entry ref) that holds it. */
  at?: string;
}

export interface PhaseStatus {
  phase: string;
  /** False until `airlock phases generate` wrote (and someone pushed) data/phase/<phase>.txt. */
  generated: boolean;
  counts: Record<EntryState, number>;
  total: number;
  entries: EntryStatus[];
}

export function entryState(s: QueueSnapshot, entry: string, now: number): EntryStatus {
  if (s.results.has(entry)) {
    const at = s.resultAt?.get(entry);
    return { entry, state: 'done', ...(at ? { at } : {}) };
  }
  const failure = s.failed.get(entry);
  if (failure) return { entry, state: 'failed', failure };
  const claim = s.claims.get(entry);
  if (claim) return { entry, state: isStale(claim, now) ? 'stale' : claim.heartbeatAt ? 'running' : 'claimed', claim };
  return { entry, state: 'todo' };
}

export function phaseStatus(plan: PhasePlan, s: QueueSnapshot, now = Date.now()): PhaseStatus[] {
  return plan.phases.map((p) => {
    const todo = s.todo.get(p.name);
    // `generate` leaves entries that already have a result out of the TODO list; they still count
    // as done, or regenerating a half-finished phase would reset its progress to zero.
    const listed = new Set(todo ?? []);
    const doneEarlier = todo
      ? expandPhase(p)
          .map((e) => e.name)
          .filter((e) => !listed.has(e) && s.results.has(e))
      : [];
    const entries = [...(todo ?? []), ...doneEarlier].map((e) => entryState(s, e, now));
    const counts = Object.fromEntries(entryStates.map((st) => [st, 0])) as Record<EntryState, number>;
    for (const e of entries) counts[e.state]++;
    return { phase: p.name, generated: todo !== undefined, counts, total: entries.length, entries };
  });
}

// One format for every elapsed time; kept exported here for the phase callers.
export { formatDuration } from '../text/duration';
