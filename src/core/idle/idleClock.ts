// The idle rule shared by pods and the workspace's own VMs: a machine whose GPUs all sit at or
// below a threshold is idle in one sample; it has been idle for N minutes when every sample over
// those minutes said so. One busy sample resets the clock (a training job between epochs is not idle).

/** Default GPU utilisation (percent) at or below which a GPU counts as idle. */
export const gpuIdleThresholdPercent = 5;

/** True when there is at least one GPU reading and every one is at or below the threshold; no readings = unknown = not idle. */
export function gpusIdle(utilizations: readonly number[] | undefined, thresholdPercent = gpuIdleThresholdPercent): boolean {
  return !!utilizations && utilizations.length > 0 && utilizations.every((x) => x <= thresholdPercent);
}

export interface IdleSample {
  id: string;
  idle: boolean;
}

export interface IdleSpan {
  id: string;
  idleSinceMs: number;
  idleMinutes: number;
}

/** Remembers since when each machine has been idle across samples (in memory; `idleSince` seeds it from a saved state). */
export class IdleClock {
  private readonly since = new Map<string, number>();

  constructor(initial?: Iterable<[string, number]>) {
    for (const [id, ms] of initial ?? []) this.since.set(id, ms);
  }

  /**
   * Feeds one sample of every machine; returns the ones idle for at least `minutes`. Machines not
   * in the sample are forgotten unless `keepMissing` (a partial probe of a few hosts).
   */
  observe(samples: readonly IdleSample[], minutes: number, nowMs = Date.now(), keepMissing = false): IdleSpan[] {
    const seen = new Set<string>();
    const out: IdleSpan[] = [];
    for (const s of samples) {
      seen.add(s.id);
      if (!s.idle) {
        this.since.delete(s.id);
        continue;
      }
      const since = this.since.get(s.id) ?? nowMs;
      this.since.set(s.id, since);
      const idleMinutes = (nowMs - since) / 60_000;
      if (idleMinutes >= minutes) out.push({ id: s.id, idleSinceMs: since, idleMinutes });
    }
    if (!keepMissing) for (const id of [...this.since.keys()]) if (!seen.has(id)) this.since.delete(id);
    return out;
  }

  /** Since when `id` has been idle, if it is. */
  idleSince(id: string): number | undefined {
    return this.since.get(id);
  }

  entries(): [string, number][] {
    return [...this.since.entries()];
  }

  /** Forget a machine (after the user stopped it or chose to keep it running). */
  reset(id: string): void {
    this.since.delete(id);
  }
}
