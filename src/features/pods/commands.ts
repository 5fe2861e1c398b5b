import * as vscode from 'vscode';
import { createPod, type CreateProgress } from '../../core/pods/provision';
import { formatDollars } from '../../core/pods/cost';
import { sshCommand, sshEndpoint, jupyterTunnelUrl } from '../../core/pods/endpoints';
import { matchesMetadata, parseMetadataPairs } from '../../core/pods/metadata';
import { describeOffer, selectOffers } from '../../core/pods/offers';
import type { PodProvider } from '../../core/pods/provider';
import type { PodInfo, PodOffer } from '../../core/pods/types';
import type { HostSpec } from '../../core/hosts/types';
import { isCancelled } from '../../core/process/errors';
import { guarded, withCancellableProgress } from '../commandBoundary';
import { upsertSshConfigHost } from '../../core/ssh/sshConfig';
import type { HostsFeature } from '../hosts/hostsFeature';
import { readSettings } from '../settings';
import { PodNode } from './podNodes';
import { apiKeySecret, type PodsModel } from './podsModel';
import { openTunnel, type Tunnel } from '../../core/pods/tunnel';
import { confirmBudget, offerGraphqlForSpot, spotHintItem, watchdogFromSettings } from './createGuards';
import { colabTunnelClosedMessage } from '../../core/pods/colab/colabRuntime';
import { SshRunner } from '../../core/hosts/sshRunner';

export interface PodCommandDeps {
  model: PodsModel;
  hosts: HostsFeature;
  secrets: vscode.SecretStorage;
  log: vscode.LogOutputChannel;
  tunnels: Map<string, Tunnel>;
  onTunnelsChanged: () => void;
}

class UserError extends Error {}

/** Where a pod's Jupyter password is kept (SecretStorage). */
export const jupyterSecret = (podId: string) => `airlock.pod.${podId}.jupyter`;


async function provider(deps: PodCommandDeps): Promise<PodProvider> {
  const p = await deps.model.getProvider();
  if (!p) throw new UserError('no RunPod API key — run "Airlock: Set RunPod API Key" first.');
  return p;
}

async function pickPod(deps: PodCommandDeps, arg: unknown, placeHolder: string, filter: (p: PodInfo) => boolean): Promise<PodInfo | undefined> {
  if (arg instanceof PodNode) return arg.pod;
  if (typeof arg === 'string') return deps.model.pods.find((p) => p.id === arg || p.name === arg);
  if (!deps.model.loaded) await deps.model.refresh();
  const pods = deps.model.pods.filter(filter);
  if (!pods.length) {
    void vscode.window.showInformationMessage('Airlock: no matching pod.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(pods.map((p) => ({ label: p.name, description: `${p.providerStatus} · ${p.gpuCount}× ${p.gpuName ?? '?'} · ${formatDollars(p.costPerHour)}/hr`, p })), { placeHolder }))?.p;
}

/** The pod as an SSH machine for the shared pool (root on its public 22/tcp mapping). */
export function podSshSpec(pod: PodInfo): HostSpec {
  const ssh = sshEndpoint(pod);
  if (!ssh) throw new UserError(`${pod.name} has no public SSH port yet (${pod.providerStatus}); it needs 22/tcp in its ports and a running container.`);
  const identity = readSettings().podsSshIdentityFile;
  return { name: `pod:${pod.name}`, kind: 'ssh', source: 'workspace', hostName: ssh.host, port: ssh.port, user: ssh.user, ...(identity ? { identityFiles: [identity] } : {}) };
}


function describeProgress(p: CreateProgress): string {
  switch (p.kind) {
    case 'trying-offer': return `renting ${describeOffer(p.offer)} (attempt ${p.attempt} of ${p.of})…`;
    case 'no-capacity': return `no capacity for ${p.offer.gpuName} in ${p.offer.cloud}; trying the next offer…`;
    case 'created': return `pod ${p.pod.id} created; waiting for the container…`;
    case 'waiting': return `${p.wait.message} (${Math.round(p.wait.elapsedMs / 1000)} s)`;
    case 'ready': return `pod ${p.pod.id} is ready`;
    case 'checking-orphan': return 'checking that no pod was left behind…';
    case 'terminating': return `terminating ${p.podId}: ${p.reason}`;
    case 'terminated': return `terminated ${p.podId}`;
  }
}

export function podCommands(deps: PodCommandDeps) {
  const { model } = deps;

  const stopPod = async (pod: PodInfo, why?: string) => {
    const pr = await provider(deps);
    await pr.stop(pod.id);
    model.update(await pr.get(pod.id), pod.id);
    closeTunnel(pod.id);
    // A Colab session on this pod loses its runtime: say so rather than leave Colab spinning.
    const colab = deps.tunnels.get(`colab:${pod.id}`);
    if (colab) {
      colab.close();
      deps.tunnels.delete(`colab:${pod.id}`);
    }
    void vscode.window.showInformationMessage(`Airlock: stopped pod "${pod.name}"${why ? ` — ${why}` : ''}. Its volume is kept; Resume starts it again.${colab ? ` ${colabTunnelClosedMessage(pod.id, true)}` : ''}`);
  };
  const closeTunnel = (podId: string) => {
    const t = deps.tunnels.get(podId);
    if (!t) return;
    t.close();
    deps.tunnels.delete(podId);
    deps.onTunnelsChanged();
  };

  return {
    stopPod,
    setApiKey: () => guarded('Set RunPod API Key', deps.log, async () => {
      const key = await vscode.window.showInputBox({ title: 'RunPod API key', prompt: 'Kept in VS Code secret storage (never in settings or logs). Leave empty to remove it.', password: true, ignoreFocusOut: true });
      if (key === undefined) return;
      if (!key.trim()) await deps.secrets.delete(apiKeySecret);
      else await deps.secrets.store(apiKeySecret, key.trim());
      await model.forgetKey();
      if (key.trim() && model.error) throw new UserError(model.error);
      if (key.trim()) void vscode.window.showInformationMessage(`Airlock: RunPod key saved; ${model.pods.length} pod(s) on the account.`);
    }),

    refresh: () => guarded('Refresh Pods', deps.log, () => Promise.resolve(vscode.window.withProgress({ location: { viewId: 'airlock.pods' } }, () => model.refresh()))),

    create: () => guarded('Create Pod', deps.log, async () => {
      const pr = await provider(deps);
      const offers = await withCancellableProgress('Airlock: reading RunPod GPU offers…', (signal) => pr.offers({ gpuCount: 1 }, signal));
      const sorted = selectOffers(offers, {});
      if (!sorted.length) throw new UserError('RunPod lists no GPU offers right now.');
      const hint = spotHintItem(readSettings());
      const picked = await vscode.window.showQuickPick<{ label: string; description?: string; detail?: string; o?: PodOffer; spotHint?: true }>(
        [...sorted.map((o) => ({ label: `${o.gpuName} · ${o.vramGb} GB`, description: `${formatDollars(o.pricePerHour)}/hr · ${o.cloud}${o.spot ? ' · spot' : ''}`, detail: `stock ${o.stock}`, o })), ...(hint ? [hint] : [])],
        { title: 'Create Pod (1/3): GPU offer — cheapest first', placeHolder: 'Type to filter: 4090, A100, 80 GB, SECURE, spot…', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
      );
      if (!picked) return;
      if (picked.spotHint || !picked.o) return offerGraphqlForSpot();
      const name = await vscode.window.showInputBox({ title: 'Create Pod (2/3): name', value: `exp-${new Date().toISOString().slice(5, 16).replace(/[-:T]/g, '')}`, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A pod needs a name') });
      if (!name) return;
      const metaText = await vscode.window.showInputBox({ title: 'Create Pod (3/3): metadata (optional)', prompt: 'key=value pairs separated by spaces, e.g. project=llm run=ablation-3 — filter and clean up by them later', ignoreFocusOut: true });
      if (metaText === undefined) return;
      const metadata = Object.fromEntries(Object.entries(parseMetadataPairs(metaText.split(/\s+/).filter(Boolean))).map(([k, v]) => [k, v ?? '']));
      const o = picked.o;
      if (!(await confirmBudget(pr, o, readSettings()))) return;
      // After the chosen offer, the next cheapest with the same GPU memory and pricing kind (SUPPLY_CONSTRAINT fallback).
      const fallbacks = sorted.filter((x) => x !== o && x.spot === o.spot && x.vramGb >= o.vramGb);
      const s = readSettings();
      const created = await withCancellableProgress(`Airlock: creating pod "${name}"`, (signal, report) =>
        createPod(pr, {
          offers: [o, ...fallbacks] as PodOffer[], spec: { name, image: s.podsDefaultImage, metadata, jupyter: true, watchdog: watchdogFromSettings(s) },
          readyTimeoutMs: s.podsReadyTimeoutSec * 1000, signal, onProgress: (p) => {
            report(describeProgress(p));
            deps.log.info(`create ${name}: ${describeProgress(p)}`);
          },
        }),
      );
      if (created.jupyterPassword) await deps.secrets.store(jupyterSecret(created.pod.id), created.jupyterPassword);
      model.update(created.pod, created.pod.id);
      void vscode.window.showInformationMessage(`Airlock: pod "${created.pod.name}" is running (${formatDollars(created.pod.costPerHour)}/hr).`, 'Open Jupyter').then((a) => a && vscode.commands.executeCommand('airlock.pods.openJupyter', created.pod.id));
    }),

    openJupyter: (arg?: unknown) => guarded('Open Jupyter', deps.log, async () => {
      const pod = await pickPod(deps, arg, 'Open Jupyter on…', (p) => p.state === 'running');
      if (!pod) return;
      const pr = await provider(deps);
      const url = pr.proxyUrl(pod.id, 8888);
      if (!url) throw new UserError('this provider has no HTTPS proxy; use "Start SSH Tunnel to Jupyter".');
      const password = (await deps.secrets.get(jupyterSecret(pod.id))) ?? (await pr.jupyterPassword(pod.id));
      if (password) await vscode.env.clipboard.writeText(password);
      await vscode.env.openExternal(vscode.Uri.parse(url));
      if (password) void vscode.window.showInformationMessage(`Airlock: opened ${url} — the Jupyter password is on your clipboard.`);
    }),

    startTunnel: (arg?: unknown) => guarded('Start SSH Tunnel', deps.log, async () => {
      const pod = await pickPod(deps, arg, 'Tunnel to Jupyter on…', (p) => p.state === 'running');
      if (!pod) return;
      const existing = deps.tunnels.get(pod.id);
      const pr = await provider(deps);
      const password = (await deps.secrets.get(jupyterSecret(pod.id))) ?? (await pr.jupyterPassword(pod.id)) ?? '';
      let tunnel = existing;
      if (!tunnel) {
        const runner = deps.hosts.runnerForSpec(podSshSpec(pod));
        if (!(runner instanceof SshRunner)) throw new UserError('the pod is not reachable over SSH');
        tunnel = await withCancellableProgress(`Airlock: tunnel to ${pod.name}`, () => openTunnel(pod.id, () => runner.connection(), 8888, (e) => deps.log.warn(`tunnel ${pod.name}: ${e.message}`)));
        deps.tunnels.set(pod.id, tunnel);
        deps.onTunnelsChanged();
      }
      const url = jupyterTunnelUrl(tunnel.localPort, password);
      await vscode.env.openExternal(vscode.Uri.parse(url));
      void vscode.window.showInformationMessage(`Airlock: Jupyter on ${pod.name} is at http://localhost:${tunnel.localPort}/ (tunnel over SSH).`);
    }),

    stopTunnel: (arg?: unknown) => guarded('Stop SSH Tunnel', deps.log, async () => {
      const pod = await pickPod(deps, arg, 'Stop the tunnel to…', (p) => deps.tunnels.has(p.id));
      if (pod) closeTunnel(pod.id);
    }),

    openTerminal: (arg?: unknown) => guarded('Open Terminal on Pod', deps.log, async () => {
      const pod = await pickPod(deps, arg, 'Open a terminal on…', (p) => p.state === 'running');
      if (pod) deps.hosts.openTerminalFor(podSshSpec(pod));
    }),

    copySshCommand: (arg?: unknown) => guarded('Copy SSH Command', deps.log, async () => {
      const pod = await pickPod(deps, arg, 'Copy the SSH command for…', (p) => p.state === 'running');
      if (!pod) return;
      const ssh = sshEndpoint(pod);
      if (!ssh) throw new UserError(`${pod.name} has no public SSH port yet.`);
      const cmd = sshCommand(ssh, { localPort: 8888, remotePort: 8888 });
      await vscode.env.clipboard.writeText(cmd);
      void vscode.window.showInformationMessage(`Airlock: copied "${cmd}"`);
    }),

    writeSshConfig: (arg?: unknown) => guarded('Write SSH Config', deps.log, async () => {
      const pod = await pickPod(deps, arg, 'Add an ~/.ssh/config entry for…', (p) => p.state === 'running');
      if (!pod) return;
      const ssh = sshEndpoint(pod);
      if (!ssh) throw new UserError(`${pod.name} has no public SSH port yet.`);
      const alias = pod.name.replace(/[^A-Za-z0-9._-]/g, '-');
      const s = readSettings();
      const r = await upsertSshConfigHost(s.sshConfigPath, alias, { HostName: ssh.host, Port: ssh.port, User: ssh.user, ...(s.podsSshIdentityFile ? { IdentityFile: s.podsSshIdentityFile } : {}) });
      await deps.hosts.model.reload();
      void vscode.window.showInformationMessage(r.created ? `Airlock: added Host ${alias} to ${s.sshConfigPath}.` : r.changes.length ? `Airlock: updated Host ${alias}: ${r.changes.map((c) => `${c.field} ${c.before ?? '—'} → ${c.after}`).join(', ')} (backup ${r.backupPath}).` : `Airlock: Host ${alias} is already up to date.`);
    }),

    stop: (arg?: unknown) => guarded('Stop Pod', deps.log, async () => {
      const pod = await pickPod(deps, arg, 'Stop which pod?', (p) => p.state === 'running' || p.state === 'starting');
      if (pod) await withCancellableProgress(`Airlock: stopping ${pod.name}…`, () => stopPod(pod));
    }),

    resume: (arg?: unknown) => guarded('Resume Pod', deps.log, async () => {
      const pod = await pickPod(deps, arg, 'Resume which pod?', (p) => p.state === 'stopped');
      if (!pod) return;
      const pr = await provider(deps);
      await withCancellableProgress(`Airlock: resuming ${pod.name}…`, (signal) => pr.resume(pod.id, signal));
      model.update(await pr.get(pod.id), pod.id);
    }),

    terminate: (arg?: unknown) => guarded('Terminate Pod', deps.log, async () => {
      const pod = await pickPod(deps, arg, 'Terminate which pod?', () => true);
      if (!pod) return;
      const ok = await vscode.window.showWarningMessage(`Terminate pod "${pod.name}"?`, { modal: true, detail: `${pod.gpuCount}× ${pod.gpuName ?? '?'} · ${formatDollars(pod.costPerHour)}/hr. Its container disk and volume are deleted; this cannot be undone.` }, 'Terminate');
      if (ok !== 'Terminate') return;
      const pr = await provider(deps);
      await withCancellableProgress(`Airlock: terminating ${pod.name}…`, (signal) => pr.terminate(pod.id, signal));
      closeTunnel(pod.id);
      await deps.secrets.delete(jupyterSecret(pod.id));
      model.update(undefined, pod.id);
    }),

    filter: () => guarded('Filter Pods', deps.log, async () => {
      const current = Object.entries(model.filter).map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join(' ');
      const text = await vscode.window.showInputBox({ title: 'Filter pods by metadata', prompt: 'key=value (or just key) pairs, all must match; empty shows every pod', value: current, ignoreFocusOut: true });
      if (text === undefined) return;
      model.setFilter(parseMetadataPairs(text.split(/\s+/).filter(Boolean)));
    }),

    terminateMatching: () => guarded('Terminate All Matching', deps.log, async () => {
      const text = await vscode.window.showInputBox({ title: 'Terminate all pods whose metadata matches', prompt: 'key=value pairs, e.g. project=llm run=ablation-3', value: Object.entries(model.filter).map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join(' '), ignoreFocusOut: true });
      if (!text?.trim()) return;
      const filter = parseMetadataPairs(text.split(/\s+/).filter(Boolean));
      await model.refresh();
      const victims = model.pods.filter((p) => p.state !== 'terminated' && matchesMetadata(p.metadata, filter));
      if (!victims.length) return void vscode.window.showInformationMessage(`Airlock: no pod matches ${text}.`);
      const ok = await vscode.window.showWarningMessage(`Terminate ${victims.length} pod${victims.length === 1 ? '' : 's'} matching ${text}?`, { modal: true, detail: victims.map((p) => `${p.name} (${p.id}) · ${formatDollars(p.costPerHour)}/hr`).join('\n') }, 'Terminate All');
      if (ok !== 'Terminate All') return;
      const pr = await provider(deps);
      const failed: string[] = [];
      await withCancellableProgress(`Airlock: terminating ${victims.length} pods…`, async (signal, report) => {
        for (const p of victims) {
          report(p.name);
          try {
            await pr.terminate(p.id, signal);
            closeTunnel(p.id);
            model.update(undefined, p.id);
          } catch (err) {
            if (isCancelled(err)) throw err;
            failed.push(`${p.name}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      });
      if (failed.length) throw new UserError(`${failed.length} pod(s) were not terminated — ${failed.join('; ')}`);
      void vscode.window.showInformationMessage(`Airlock: terminated ${victims.length} pod(s).`);
    }),
  };
}
