import { PodNode } from '../podNodes';
import { type PodCommandDeps, closeTunnel, pickPod } from './podCommandDeps';

/** Pods: Stop SSH Tunnel. */
export async function stopTunnel(deps: PodCommandDeps, arg?: PodNode | string): Promise<void> {
  const pod = await pickPod(deps, arg, 'Stop the tunnel to…', (p) => deps.tunnels.has(p.id));
  if (pod) closeTunnel(deps, pod.id);
}
