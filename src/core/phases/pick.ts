// Which entry a worker takes next: its own interrupted claims first, then free entries (randomly
// among the first few, so many workers rarely race for the same one), then expired claims.
import { isStale, type Claim } from './claims';
import { runnerAllows, type Entry } from './entries';
import type { PhaseDef, RunnerDef } from './plan';
import type { QueueSnapshot } from './snapshot';

export interface Pick {
  entry: Entry;
  how: 'new' | 'resume' | 'takeover';
  previous?: Claim;
}

export interface PickContext {
  snapshot: QueueSnapshot;
  index: Map<string, Entry>;
  phases: PhaseDef[];
  runner: RunnerDef;
  host: string;
  now: number;
  window: number;
  /** Entries this process gave up on (lost races) in this round. */
  exclude: Set<string>;
  pidAlive: (pid: number) => boolean;
  random?: () => number;
  /** Whether an expired claim may be taken over now (see StaleWatch); default: as soon as it expired. */
  takeoverReady?: (c: Claim) => boolean;
}

export function eligibleEntries(ctx: PickContext): Entry[] {
  const out: Entry[] = [];
  for (const phase of ctx.phases) {
    for (const name of ctx.snapshot.todo.get(phase.name) ?? []) {
      const e = ctx.index.get(name);
      if (!e || e.phase !== phase.name || !runnerAllows(ctx.runner, e)) continue;
      if (ctx.snapshot.results.has(name) || ctx.snapshot.failed.has(name) || ctx.exclude.has(name)) continue;
      out.push(e);
    }
  }
  return out;
}

/** An own claim from a process that is gone (killed, rebooted) may be resumed at once. */
export function isOwnOrphan(c: Claim, host: string, pidAlive: (pid: number) => boolean): boolean {
  return !c.legacy && c.host === host && c.pid !== process.pid && !pidAlive(c.pid);
}

export function pickEntry(ctx: PickContext): Pick | undefined {
  const eligible = eligibleEntries(ctx);
  const claims = ctx.snapshot.claims;
  const resume = eligible.find((e) => {
    const c = claims.get(e.name);
    return c && isOwnOrphan(c, ctx.host, ctx.pidAlive);
  });
  if (resume) return { entry: resume, how: 'resume', previous: claims.get(resume.name) };
  const free = eligible.filter((e) => !claims.has(e.name)).slice(0, Math.max(1, ctx.window));
  if (free.length) return { entry: free[Math.floor((ctx.random ?? Math.random)() * free.length)]!, how: 'new' };
  const stale = eligible.find((e) => {
    const c = claims.get(e.name);
    return c && !c.legacy && isStale(c, ctx.now) && (ctx.takeoverReady?.(c) ?? true);
  });
  if (stale) return { entry: stale, how: 'takeover', previous: claims.get(stale.name) };
  return undefined;
}

/** Entries someone else holds with a live lease (worth waiting for: they may expire). */
export function claimedByOthers(ctx: PickContext): number {
  return eligibleEntries(ctx).filter((e) => {
    const c = ctx.snapshot.claims.get(e.name);
    return c && !c.legacy && !isStale(c, ctx.now) && !isOwnOrphan(c, ctx.host, ctx.pidAlive);
  }).length;
}
