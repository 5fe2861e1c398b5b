import { gpusIdle, IdleClock } from '../idle/idleClock';
import type { PodInfo } from './types';

/** A running pod whose GPUs all sit at or below the threshold; pods without GPU numbers are never idle. */
export function isGpuIdle(pod: PodInfo, thresholdPercent = 5): boolean {
  return pod.state === 'running' && gpusIdle(pod.gpuUtilization, thresholdPercent);
}

export interface IdlePod {
  pod: PodInfo;
  idleSinceMs: number;
  idleMinutes: number;
}

/**
 * Remembers since when each pod has been idle across polls, so the cost guard can warn after N
 * minutes (the shared rule in core/idle; the same one guards the workspace's own VMs).
 */
export class IdleTracker {
  private readonly clock = new IdleClock();

  constructor(private readonly thresholdPercent = 5) {}

  /** Feeds one poll of every pod; returns the pods idle for at least `minutes`. */
  observe(pods: readonly PodInfo[], minutes: number, nowMs = Date.now()): IdlePod[] {
    const byId = new Map(pods.map((p) => [p.id, p]));
    return this.clock
      .observe(
        pods.map((p) => ({ id: p.id, idle: isGpuIdle(p, this.thresholdPercent) })),
        minutes,
        nowMs,
      )
      .map((s) => ({ pod: byId.get(s.id)!, idleSinceMs: s.idleSinceMs, idleMinutes: s.idleMinutes }));
  }

  /** Forget a pod (after the user stopped it or chose to keep it running). */
  reset(podId: string): void {
    this.clock.reset(podId);
  }
}
