import { withCancellableProgress } from '../../progress';
import { PodNode } from '../podNodes';
import { type PodCommandDeps, pickPod, stopPodAndTunnel } from './podCommandDeps';

/** Pods: Stop Pod (the volume is kept). */
export async function stopPod(deps: PodCommandDeps, arg?: PodNode | string): Promise<void> {
  const pod = await pickPod(deps, arg, 'Stop which pod?', (p) => p.state === 'running' || p.state === 'starting');
  if (pod) await withCancellableProgress(`Airlock: stopping ${pod.name}…`, () => stopPodAndTunnel(deps, pod));
}
