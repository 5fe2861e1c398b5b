// A worker's typed events as text (the CLI's log lines), as JSON lines (`airlock worker --events
// jsonl`, read by the editor) and reduced into what a controller shows per worker. The editor
// reduces events instead of matching words in log text: a line's wording may change, a type may not.
import type { WorkerEvent } from './workerTypes';

/** The `[worker] …` log line of an event (undefined: nothing to print). */
export function describeEvent(e: WorkerEvent, quiet = false): string | undefined {
  switch (e.type) {
    case 'start':
      return `[worker] ${e.host}: phases ${e.phases.join(', ') || '(none)'}${e.skipped.map((s) => `; skipping ${s.phase}: ${s.reason}`).join('')}`;
    case 'claimed':
      return `[worker] claimed ${e.entry}${e.how !== 'new' ? ` (${e.how}${e.from ? ` from ${e.from}` : ''})` : ''}`;
    case 'lost':
      return `[worker] ${e.entry} was claimed by another host first; taking the next entry`;
    case 'started':
      return `[worker] running ${e.entry}: ${e.command}`;
    case 'output':
      return quiet ? undefined : e.line;
    case 'finished':
      return `[worker] finished ${e.entry} in ${(e.durationMs / 1000).toFixed(1)} s`;
    case 'failed':
      return `[worker] ${e.entry} failed: ${e.reason}`;
    case 'claim-lost':
      return `[worker] lost the claim on ${e.entry} (another host took it over); stopped it`;
    case 'pending':
      return `[worker] could not push ${e.entry} (${e.error}); kept locally`;
    case 'pushed':
      return `[worker] pushed ${e.entry}`;
    case 'released':
      return `[worker] released the claim on ${e.entry}`;
    case 'retry':
      return `[worker] ${e.what} failed (${e.error.split('\n')[0]}); retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)} s`;
    case 'waiting':
      return `[worker] nothing free; ${e.claimedByOthers} entries are claimed by other hosts — waiting for them to finish or expire`;
    case 'idle':
      return `[worker] done: ${e.reason}`;
    case 'stopped-leftover':
      return `[worker] stopped a run of ${e.entry} left by an earlier worker (process group ${e.pgid})`;
    case 'compacted':
      return `[worker] folded ${e.entries} result(s) into the branch`;
  }
}

const types: Record<WorkerEvent['type'], true> = {
  start: true,
  claimed: true,
  lost: true,
  started: true,
  output: true,
  finished: true,
  failed: true,
  'claim-lost': true,
  pending: true,
  pushed: true,
  released: true,
  retry: true,
  waiting: true,
  idle: true,
  'stopped-leftover': true,
  compacted: true,
};

/** One line of `--events jsonl`; undefined for anything else (a stray line of a newer worker, noise). */
export function parseWorkerEventLine(line: string): WorkerEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(line) as { type?: unknown };
    return v && typeof v.type === 'string' && v.type in types ? (v as WorkerEvent) : undefined;
  } catch {
    return undefined;
  }
}

export type WorkerActivity = 'starting' | 'claiming' | 'running' | 'publishing' | 'waiting' | 'retrying' | 'idle';

/** What a controller shows for one worker. */
export interface WorkerView {
  activity: WorkerActivity;
  /** The entry it holds (claimed or running), if any. */
  entry?: string;
  done: number;
  failed: number;
  /** Races lost to other hosts (claims that went elsewhere) and claims taken over while running. */
  lost: number;
  claimLost: number;
  /** Short text for the tree: the latest thing that happened. */
  summary: string;
}

export function initialWorkerView(): WorkerView {
  return { activity: 'starting', done: 0, failed: 0, lost: 0, claimLost: 0, summary: 'starting…' };
}

/** The next view after `e`. Output lines change nothing but the log. */
export function reduceWorkerEvent(v: WorkerView, e: WorkerEvent): WorkerView {
  const text =
    describeEvent(e)
      ?.replace(/^\[worker\] /, '')
      .slice(0, 80) ?? v.summary;
  switch (e.type) {
    case 'output':
      return v;
    case 'claimed':
      return { ...v, activity: 'claiming', entry: e.entry, summary: text };
    case 'started':
      return { ...v, activity: 'running', entry: e.entry, summary: `running ${e.entry}` };
    case 'finished':
      return { ...v, activity: 'publishing', done: v.done + 1, summary: text };
    case 'failed':
      return { ...v, activity: 'publishing', failed: v.failed + 1, summary: text };
    case 'pushed':
      return { ...v, activity: 'claiming', entry: undefined, summary: text };
    case 'pending':
      return { ...v, activity: 'retrying', entry: undefined, summary: text };
    case 'lost':
      return { ...v, lost: v.lost + 1, summary: text };
    case 'claim-lost':
      return { ...v, activity: 'claiming', entry: undefined, claimLost: v.claimLost + 1, summary: text };
    case 'released':
      return { ...v, entry: undefined, summary: text };
    case 'retry':
      return { ...v, activity: 'retrying', summary: text };
    case 'waiting':
      return { ...v, activity: 'waiting', summary: text };
    case 'idle':
      return { ...v, activity: 'idle', entry: undefined, summary: text };
    default:
      return { ...v, summary: text };
  }
}

/** Whether the queue changed in a way the Phases view shows (worth re-reading it). */
export function changesQueue(e: WorkerEvent): boolean {
  return ['claimed', 'lost', 'claim-lost', 'pushed', 'released', 'compacted'].includes(e.type);
}
