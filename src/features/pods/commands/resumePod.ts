import { withCancellableProgress } from '../../progress';
import { PodNode } from '../podNodes';
import { type PodCommandDeps, pickPod, provider } from './podCommandDeps';

/** Pods: Resume Pod. */
export async function resumePod(deps: PodCommandDeps, arg?: PodNode | string): Promise<void> {
  const { model } = deps;
  const pod = await pickPod(deps, arg, 'Resume which pod?', (p) => p.state === 'stopped');
  if (!pod) return;
  const pr = await provider(deps);
  await withCancellableProgress(`Airlock: resuming ${pod.name}…`, (signal) => pr.resume(pod.id, signal));
  model.update(await pr.get(pod.id), pod.id);
}
