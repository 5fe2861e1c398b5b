import { PodNode } from '../podNodes';
import { type PodCommandDeps, pickPod, podSshSpec } from './podCommandDeps';

/** Pods: Open Terminal (SSH on the shared pool). */
export async function openPodTerminal(deps: PodCommandDeps, arg?: PodNode | string): Promise<void> {
  const pod = await pickPod(deps, arg, 'Open a terminal on…', (p) => p.state === 'running');
  if (pod) deps.hosts.openTerminalFor(podSshSpec(pod));
}
