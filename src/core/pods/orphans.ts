// Pods Airlock created that bill and that nothing guards: no on-pod watchdog rule is active on them
// (created before the watchdog, with --no-watchdog, or with both rules at 0) and no editor session is
// watching them (the caller passes the ids it watches). Those are the pods that bill all night.
import type { PodInfo } from './types';

export interface OrphanPod {
  pod: PodInfo;
  /** Hours since the pod was created (undefined when the provider gives no date). */
  ageHours?: number;
}

export function isGuardedByWatchdog(pod: PodInfo): boolean {
  return !!pod.watchdog && (pod.watchdog.idleStopSec > 0 || pod.watchdog.maxSec > 0);
}

export function findOrphans(pods: readonly PodInfo[], watched: ReadonlySet<string> = new Set(), nowMs = Date.now()): OrphanPod[] {
  return pods
    .filter((p) => p.managedByAirlock && (p.state === 'running' || p.state === 'starting') && !isGuardedByWatchdog(p) && !watched.has(p.id))
    .map((pod) => {
      const created = pod.createdAt ? Date.parse(pod.createdAt) : NaN;
      return { pod, ...(Number.isNaN(created) ? {} : { ageHours: Math.max(0, (nowMs - created) / 3600_000) }) };
    })
    .sort((a, b) => b.pod.costPerHour - a.pod.costPerHour);
}
