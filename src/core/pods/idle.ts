import type { PodInfo } from './types';

/** A running pod whose GPUs all sit at or below the threshold; pods without GPU numbers are never idle. */
export function isGpuIdle(pod: PodInfo, thresholdPercent = 5): boolean {
  const u = pod.gpuUtilization;
  return pod.state === 'running' && !!u && u.length > 0 && u.every((x) => x <= thresholdPercent);
}

export interface IdlePod {
  pod: PodInfo;
  idleSinceMs: number;
  idleMinutes: number;
}

/**
 * Remembers since when each pod has been idle across polls, so the cost guard can warn after N
 * minutes. One busy sample resets the clock: a training job between epochs is not idle.
 */
export class IdleTracker {
  private readonly idleSince = new Map<string, number>();

  constructor(private readonly thresholdPercent = 5) {}

  /** Feeds one poll of every pod; returns the pods idle for at least `minutes`. */
  observe(pods: readonly PodInfo[], minutes: number, nowMs = Date.now()): IdlePod[] {
    const seen = new Set<string>();
    const out: IdlePod[] = [];
    for (const pod of pods) {
      seen.add(pod.id);
      if (!isGpuIdle(pod, this.thresholdPercent)) {
        this.idleSince.delete(pod.id);
        continue;
      }
      const since = this.idleSince.get(pod.id) ?? nowMs;
      this.idleSince.set(pod.id, since);
      const idleMinutes = (nowMs - since) / 60_000;
      if (idleMinutes >= minutes) out.push({ pod, idleSinceMs: since, idleMinutes });
    }
    for (const id of [...this.idleSince.keys()]) if (!seen.has(id)) this.idleSince.delete(id);
    return out;
  }

  /** Forget a pod (after the user stopped it or chose to keep it running). */
  reset(podId: string): void {
    this.idleSince.delete(podId);
  }
}
