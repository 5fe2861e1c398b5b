// What the pod commands need (narrow, so each command file shows its dependencies) and the helpers
// they share: the provider (or the typed "no API key" error), picking a pod, its SSH spec.
import * as vscode from 'vscode';
import { commandIds } from '../../../ids';
import { formatDollars } from '../../../core/pods/cost';
import { podHostSpec, sshEndpoint } from '../../../core/pods/endpoints';
import { PodError } from '../../../core/pods/errors';
import { describeOffer } from '../../../core/pods/offers';
import type { PodProvider } from '../../../core/pods/provider';
import type { CreateProgress } from '../../../core/pods/provision';
import type { PodInfo } from '../../../core/pods/types';
import type { HostSpec } from '../../../core/hosts/types';
import { UserError } from '../../../core/errors/userError';
import { formatDuration } from '../../../core/text/duration';
import type { HostsFeature } from '../../hosts/hostsFeature';
import { readSettings } from '../../settings';
import { PodNode, type PodsTreeNode } from '../podNodes';
import type { TreeRefresh } from '../../tree/treeRefresh';
import type { PodsModel } from '../podsModel';
import type { Tunnel } from '../../../core/pods/tunnel';
import { colabTunnelClosedMessage } from '../../../core/pods/colab/colabRuntime';
import type { LogsFeature } from '../../logs/logsFeature';

export interface PodCommandDeps {
  model: PodsModel;
  hosts: HostsFeature;
  secrets: vscode.SecretStorage;
  log: vscode.LogOutputChannel;
  tunnels: Map<string, Tunnel>;
  onTunnelsChanged: () => void;
  /** Live Logs, for Show Pod Logs. */
  logs: LogsFeature;
  /** The view's refresh: a manual Refresh goes through it. */
  refresh: TreeRefresh<PodsTreeNode>;
}

/** Where a pod's Jupyter password is kept (SecretStorage). */
export const jupyterSecret = (podId: string) => `airlock.pod.${podId}.jupyter`;

/** The provider, or PodError `no-api-key` (the error notice offers "Set RunPod API Key"). */
export async function provider(deps: PodCommandDeps): Promise<PodProvider> {
  const p = await deps.model.getProvider();
  if (!p) throw new PodError('no-api-key', 'no RunPod API key — run "Airlock: Set RunPod API Key" first.');
  return p;
}

/**
 * The pod a command acts on: the tree node, an id or name (tests, other commands), or a pick.
 * From the palette there is always a list: the pods the command fits, or — when none does — every
 * pod with its state (picking a stopped one resumes it) and Create Pod.
 */
export async function pickPod(
  deps: PodCommandDeps,
  arg: PodNode | string | undefined,
  placeHolder: string,
  filter: (p: PodInfo) => boolean,
): Promise<PodInfo | undefined> {
  if (arg instanceof PodNode) return arg.pod;
  if (typeof arg === 'string') return deps.model.pods.find((p) => p.id === arg || p.name === arg);
  if (!deps.model.loaded) await deps.model.refresh();
  if (!deps.model.hasKey) throw new PodError('no-api-key', 'no RunPod API key — run "Airlock: Set RunPod API Key" first.');
  if (deps.model.error) throw new UserError(`could not list the pods: ${deps.model.error}`);
  const describe = (p: PodInfo) => `${p.providerStatus} · ${p.gpuCount}× ${p.gpuName ?? '?'} · ${formatDollars(p.costPerHour)}/hr`;
  const pods = deps.model.pods.filter(filter);
  if (pods.length)
    return (
      await vscode.window.showQuickPick(
        pods.map((p) => ({ label: p.name, description: describe(p), p })),
        { placeHolder },
      )
    )?.p;
  type Item = vscode.QuickPickItem & { p?: PodInfo; create?: true };
  const others: Item[] = deps.model.pods
    .filter((p) => p.state !== 'terminated')
    .map((p) => ({
      label: p.name,
      description: describe(p),
      detail: p.state === 'stopped' ? 'not running — pick it to resume it' : `${p.state} — not ready for this yet`,
      p,
    }));
  const picked = await vscode.window.showQuickPick<Item>([...others, { label: '$(add) Create Pod…', create: true }], {
    placeHolder: `${placeHolder} — no pod is ready for this: ${others.length ? 'resume one, or create one' : 'create one'}`,
  });
  if (picked?.create) void vscode.commands.executeCommand(commandIds.podsCreate);
  else if (picked?.p?.state === 'stopped') void vscode.commands.executeCommand(commandIds.podsResume, picked.p.id);
  return undefined;
}

/** The pod as an SSH machine for the shared pool (root on its public 22/tcp mapping). */
export function podSshSpec(pod: PodInfo): HostSpec {
  const ssh = sshEndpoint(pod);
  if (!ssh) throw new UserError(`${pod.name} has no public SSH port yet (${pod.providerStatus}); it needs 22/tcp in its ports and a running container.`);
  return podHostSpec(pod, ssh, readSettings().podsSshIdentityFile);
}

export function describeProgress(p: CreateProgress): string {
  switch (p.kind) {
    case 'trying-offer':
      return `renting ${describeOffer(p.offer)} (attempt ${p.attempt} of ${p.of})…`;
    case 'no-capacity':
      return `no capacity for ${p.offer.gpuName} in ${p.offer.cloud}; trying the next offer…`;
    case 'created':
      return `pod ${p.pod.id} created; waiting for the container…`;
    case 'waiting':
      return `${p.wait.message} (${formatDuration(p.wait.elapsedMs)})`;
    case 'ready':
      return `pod ${p.pod.id} is ready`;
    case 'checking-orphan':
      return 'checking that no pod was left behind…';
    case 'terminating':
      return `terminating ${p.podId}: ${p.reason}`;
    case 'terminated':
      return `terminated ${p.podId}`;
  }
}

export function closeTunnel(deps: PodCommandDeps, podId: string): void {
  const t = deps.tunnels.get(podId);
  if (!t) return;
  t.close();
  deps.tunnels.delete(podId);
  deps.onTunnelsChanged();
}

/** Stops a pod (the cost guard uses it too) and closes its tunnel. */
export async function stopPodAndTunnel(deps: PodCommandDeps, pod: PodInfo, why?: string): Promise<void> {
  const pr = await provider(deps);
  await pr.stop(pod.id);
  deps.model.update(await pr.get(pod.id), pod.id);
  closeTunnel(deps, pod.id);
  // A Colab session on this pod loses its runtime: say so rather than leave Colab spinning.
  const colab = deps.tunnels.get(colabTunnelKey(pod.id));
  if (colab) {
    colab.close();
    deps.tunnels.delete(colabTunnelKey(pod.id));
  }
  void vscode.window.showInformationMessage(
    `Airlock: stopped pod "${pod.name}"${why ? ` — ${why}` : ''}. Its volume is kept; Resume starts it again.${colab ? ` ${colabTunnelClosedMessage(pod.id, true)}` : ''}`,
  );
}

/** Colab tunnels live in the Pods feature's tunnel map under this key (closed with the others on exit). */
export const colabTunnelKey = (podId: string) => `colab:${podId}`;

/** Closes the Colab tunnel to a pod and says what happens to the Colab session; undefined when there was none. */
export function stopColabTunnel(tunnels: Map<string, Tunnel>, podId: string): string | undefined {
  const t = tunnels.get(colabTunnelKey(podId));
  if (!t) return undefined;
  t.close();
  tunnels.delete(colabTunnelKey(podId));
  const message = colabTunnelClosedMessage(podId, false);
  void vscode.window.showInformationMessage(`Airlock: ${message}`);
  return message;
}
