// A run on a pod: its work directory read over the pod's SSH (as a host directory is), plus what
// the provider knows — the pod's GPU, when it was created and what it has cost so far (uptime × $/hr).
import { costSoFar } from '../pods/cost';
import type { PodInfo } from '../pods/types';
import type { HostRunner } from '../hosts/types';
import { hostRunSource, type HostRunOptions } from './hostRunSource';
import type { RunSource } from './importRun';

/** Where a pod's work usually is: RunPod's volume mount, `/workspace`. */
export function podWorkDir(): string {
  return '/workspace';
}

export async function podRunSource(runner: HostRunner, pod: PodInfo, dir: string, o: Omit<HostRunOptions, 'costUsd' | 'tier'>): Promise<RunSource> {
  const cost = costSoFar(pod);
  const source = await hostRunSource(runner, dir, { ...o, tier: 'pod', ...(cost > 0 ? { costUsd: Math.round(cost * 1000) / 1000 } : {}) });
  const gpu = pod.gpuName ? `${pod.gpuCount}× ${pod.gpuName}` : source.gpu;
  return {
    ...source,
    what: `pod ${pod.name} (${pod.id}) ${dir}`,
    host: `${pod.name} (RunPod ${pod.id}, ${pod.costPerHour}/hr)`,
    ...(gpu ? { gpu } : {}),
    // No result file times (an empty run): the pod's own creation time is the best start known.
    ...(!source.startedAt && pod.createdAt ? { startedAt: pod.createdAt } : {}),
  };
}
