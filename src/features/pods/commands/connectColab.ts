// Connect Colab to Pod…: the editor's `airlock pods colab`. Starts Jupyter on a running pod the way
// Colab's local runtime needs it (core/pods/colab/colabRuntime.ts), opens an SSH tunnel and puts
// the http://localhost:PORT/?token=… URL on the clipboard (never on disk), with the steps. Stopping
// the tunnel says what happens to the Colab session.
import * as vscode from 'vscode';
import { colabJupyterScript, defaultColabRemotePort, generateColabToken } from '../../../core/pods/colab/colabRuntime';
import { jupyterTunnelUrl } from '../../../core/pods/endpoints';
import { openTunnel } from '../../../core/pods/tunnel';
import { shellQuote } from '../../../core/shell/quote';
import { SshRunner } from '../../../core/hosts/sshRunner';
import type { PodInfo } from '../../../core/pods/types';
import { UserError } from '../../../core/errors/userError';
import { withCancellableProgress } from '../../progress';
import { PodNode } from '../podNodes';
import { colabTunnelKey, podSshSpec, stopColabTunnel, type PodCommandDeps } from './podCommandDeps';

/** Pods: Connect Colab to Pod… — the tree row's pod, an id, or a pick (or create one first). */
export async function connectColab(deps: PodCommandDeps, arg?: PodNode | string): Promise<void> {
  const { model, hosts, tunnels, log } = deps;
  let pod: PodInfo | undefined = arg instanceof PodNode ? arg.pod : typeof arg === 'string' ? model.pods.find((p) => p.id === arg) : undefined;
  if (!pod) {
    const running = model.pods.filter((p) => p.state === 'running');
    const picked = await vscode.window.showQuickPick<{ label: string; description?: string; p?: PodInfo }>(
      [
        ...running.map((p) => ({ label: p.name, description: `${p.gpuName ?? '?'} · $${p.costPerHour.toFixed(3)}/hr`, p })),
        { label: '$(add) Create a pod first…' },
      ],
      { placeHolder: 'Give Colab the GPU of…' },
    );
    if (!picked) return;
    if (!picked.p) return void vscode.commands.executeCommand('airlock.pods.create');
    pod = picked.p;
  }
  const runner = hosts.runnerForSpec(podSshSpec(pod));
  if (!(runner instanceof SshRunner)) throw new UserError('the pod is not reachable over SSH');
  const token = generateColabToken();
  tunnels.get(colabTunnelKey(pod.id))?.close(); // a new connect replaces it with a fresh token
  const target = pod;
  const tunnel = await withCancellableProgress(`Airlock: starting Jupyter for Colab on ${pod.name}`, async (signal) => {
    const r = await runner.exec(`bash -c ${shellQuote(colabJupyterScript(defaultColabRemotePort))}`, { input: `${token}\n`, signal, timeoutMs: 180_000 });
    if (!/AIRLOCK_COLAB ready/.test(r.stdout))
      throw new Error(`Jupyter did not start on ${target.name}: ${r.stdout.split('\n').slice(-3).join(' | ').split(token).join('***')}`);
    return openTunnel(
      target.id,
      () => runner.connection(),
      defaultColabRemotePort,
      (e) => log.warn(`colab tunnel ${target.name}: ${e.message}`),
    );
  });
  tunnels.set(colabTunnelKey(pod.id), tunnel);
  await vscode.env.clipboard.writeText(jupyterTunnelUrl(tunnel.localPort, token));
  log.info(`Colab runtime for ${pod.name} on localhost:${tunnel.localPort} (URL on the clipboard)`);
  const id = pod.id;
  void vscode.window
    .showInformationMessage(
      `Airlock: the Colab runtime URL for ${pod.name} is on your clipboard. In Colab: Connect ▾ → "Connect to a local runtime…" → paste → Connect. The tunnel stays open until you stop it.`,
      'Open Colab',
      'Stop Tunnel',
    )
    .then(async (action) => {
      if (action === 'Open Colab') await vscode.env.openExternal(vscode.Uri.parse('https://colab.research.google.com/'));
      if (action === 'Stop Tunnel') stopColabTunnel(tunnels, id);
    });
}
