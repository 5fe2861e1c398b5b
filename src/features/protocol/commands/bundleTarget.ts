// Where Export Bundle and Show Drift act: a host (its row or its name) or a running pod (its row or
// `{ pod: id }`), reached over SSH as `pod:<name>`; from the palette, one pick of both. The bundle record is kept under that
// name, so the Hosts and the Pods views read the same `.airlock/bundles/` files.
import * as vscode from 'vscode';
import type { HostRunner, HostSpec } from '../../../core/hosts/types';
import { podHostName, sshEndpoint } from '../../../core/pods/endpoints';
import type { PodInfo } from '../../../core/pods/types';
import { podWorkDir } from '../../../core/journal/podRunSource';
import { HostNode } from '../../hosts/hostNodes';
import { type HostCommandDeps, hostPickItem, pickHost } from '../../hosts/commands/hostCommandDeps';
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
    return pod && podTarget(d, pod);
  }
  if (arg === undefined) return pickHostOrPod(d, placeHolder, hostFilter ?? (() => true));
  const spec = await pickHost(d.hosts, arg, placeHolder, hostFilter ? (s) => hostFilter(s.name) : undefined);
  return spec && hostTarget(d, spec);
}

const hostTarget = (d: BundleTargetDeps, spec: HostSpec): BundleTarget => ({
  name: spec.name,
  label: spec.name,
  workDir: spec.workDir ?? '~',
  runner: d.hosts.model.runner(spec.name),
});

function podTarget(d: BundleTargetDeps, pod: PodInfo): BundleTarget {
  const spec = podSshSpec(pod);
  return { name: spec.name, label: `pod ${pod.name}`, workDir: podWorkDir(), runner: d.pods.hosts.runnerForSpec(spec) };
}

export type BundleTargetChoice = vscode.QuickPickItem & { name: string; target: () => BundleTarget };

/** From the palette: every host and every running pod with an SSH port, in one list (hosts first). */
export async function bundleTargetChoices(d: BundleTargetDeps, filter: (name: string) => boolean = () => true): Promise<BundleTargetChoice[]> {
  if (!d.hosts.model.isLoaded) await d.hosts.model.reload();
  // Pods only when a RunPod key is set; a failing list must not hide the hosts.
  if (!d.pods.model.loaded && (await d.pods.model.apiKey())) await d.pods.model.refresh();
  return [
    ...d.hosts.model.hosts.filter((h) => filter(h.spec.name)).map((h) => ({ ...hostPickItem(h), name: h.spec.name, target: () => hostTarget(d, h.spec) })),
    ...d.pods.model.pods
      .filter((p) => p.state === 'running' && !!sshEndpoint(p) && filter(podHostName(p)))
      .map((p) => ({
        name: podHostName(p),
        label: `$(vm-running) ${p.name}`,
        description: `pod · ${p.gpuCount}× ${p.gpuName ?? '?'}`,
        target: () => podTarget(d, p),
      })),
  ];
}

async function pickHostOrPod(d: BundleTargetDeps, placeHolder: string, filter: (name: string) => boolean): Promise<BundleTarget | undefined> {
  const items = await bundleTargetChoices(d, filter);
  if (!items.length) {
    void vscode.window.showInformationMessage('Airlock: no matching host or running pod. Add a host with "Airlock: Add Host…".');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true }))?.target();
}
