// When may a worker take over an expired claim? Not the moment the lease's timestamp has passed:
// after an outage of the remote every lease looks expired, yet the owners are alive and were only
// cut off like everyone else. So a worker takes a claim over only after it has itself watched the
// claim stay expired, unchanged, for a grace period during which it could reach the remote (its own
// fetches succeeded). An owner that is alive pushes its lease or result within that period, since
// its network retries are capped below the grace (see `leaseBackoffCapMs`).
import { isStale, type Claim } from './claims';

export class StaleWatch {
  /** Claim identity (token + lease) → when this worker first saw it expired after a good fetch. */
  private readonly firstSeen = new Map<string, number>();
  /** Last time a fetch or push failed for a network reason: observation restarts after it. */
  private troubleAt = 0;

  constructor(private readonly graceMs: number) {}

  /** Call after every failed network attempt. */
  networkTrouble(now = Date.now()): void {
    this.troubleAt = now;
  }

  /** Call with the claims of every successfully fetched tree. */
  observe(claims: Iterable<Claim>, now = Date.now()): void {
    const present = new Set<string>();
    for (const c of claims) {
      if (c.legacy || !isStale(c, now)) continue;
      const key = keyOf(c);
      present.add(key);
      if (!this.firstSeen.has(key)) this.firstSeen.set(key, now);
    }
    for (const key of this.firstSeen.keys()) if (!present.has(key)) this.firstSeen.delete(key);
  }

  /** Milliseconds until `c` may be taken over (0: now); undefined when it is not expired at all. */
  waitMs(c: Claim, now = Date.now()): number | undefined {
    if (c.legacy || !isStale(c, now)) return undefined;
    const seen = this.firstSeen.get(keyOf(c)) ?? now;
    return Math.max(0, Math.max(seen, this.troubleAt) + this.graceMs - now);
  }

  ready(c: Claim, now = Date.now()): boolean {
    return this.waitMs(c, now) === 0;
  }
}

function keyOf(c: Claim): string {
  return `${c.token}@${c.leaseUntil}`;
}

/** Network retries of a worker back off at most this long, so an owner cut off by an outage is back within the grace. */
export function leaseBackoffCapMs(leaseSec: number, maxBackoffMs = 60_000): number {
  return Math.max(100, Math.min(maxBackoffMs, (leaseSec * 1000) / 3));
}
