import type { PodInfo } from './types';

/**
 * What the current run has cost: uptime × $/hr. RunPod resets uptime on resume, so this is the
 * run since the last start, not the pod's lifetime bill (stopped pods still pay for volumes).
 */
export function costSoFar(pod: PodInfo): number {
  if (pod.state !== 'running' || !pod.uptimeSeconds) return 0;
  return (pod.uptimeSeconds / 3600) * pod.costPerHour;
}

/** $/hr of everything that bills compute now (running or starting pods). */
export function totalHourlyCost(pods: readonly PodInfo[]): number {
  return pods.filter((p) => p.state === 'running' || p.state === 'starting').reduce((sum, p) => sum + p.costPerHour, 0);
}

export function formatDollars(value: number): string {
  return value < 10 ? `$${value.toFixed(3)}` : `$${value.toFixed(2)}`;
}

export function formatUptime(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
}
