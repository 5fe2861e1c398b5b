// Where Export Bundle and Show Drift act: a host (its row, its name, or a pick) or a running pod
// (its row or `{ pod: id }`), reached over SSH as `pod:<name>`. The bundle record is kept under that
// name, so the Hosts and the Pods views read the same `.airlock/bundles/` files.
import type { HostRunner } from '../../../core/hosts/types';
import { podWorkDir } from '../../../core/journal/podRunSource';
import { HostNode } from '../../hosts/hostNodes';
import { type HostCommandDeps, pickHost } from '../../hosts/commands/hostCommandDeps';
import { PodNode } from '../../pods/podNodes';
import { type PodCommandDeps, pickPod, podSshSpec } from '../../pods/commands/podCommandDeps';

export type BundleTargetArg = HostNode | string | PodNode | { pod: string };

export interface BundleTargetDeps {
  hosts: HostCommandDeps;
  pods: PodCommandDeps;
}

export interface BundleTarget {
  /** The name the bundle record is kept under: the host's, or `pod:<name>`. */
  name: string;
  /** For messages: `gpu-1`, `pod airlock-train`. */
  label: string;
  /** Where a bundle goes when nothing else is configured. */
  workDir: string;
  runner: HostRunner;
}

export async function pickBundleTarget(
  d: BundleTargetDeps,
  arg: BundleTargetArg | undefined,
  placeHolder: string,
  hostFilter?: (name: string) => boolean,
): Promise<BundleTarget | undefined> {
  if (arg instanceof PodNode || (typeof arg === 'object' && arg !== null && 'pod' in arg)) {
    const pod = await pickPod(d.pods, arg instanceof PodNode ? arg : arg.pod, placeHolder, (p) => p.state === 'running');
    if (!pod) return undefined;
    const spec = podSshSpec(pod);
    return { name: spec.name, label: `pod ${pod.name}`, workDir: podWorkDir(), runner: d.pods.hosts.runnerForSpec(spec) };
  }
  const spec = await pickHost(d.hosts, arg, placeHolder, hostFilter ? (s) => hostFilter(s.name) : undefined);
  if (!spec) return undefined;
  return { name: spec.name, label: spec.name, workDir: spec.workDir ?? '~', runner: d.hosts.model.runner(spec.name) };
}
