import * as vscode from 'vscode';
import { jupyterTunnelUrl } from '../../../core/pods/endpoints';
import { withCancellableProgress } from '../../progress';
import { PodNode } from '../podNodes';
import { openTunnel } from '../../../core/pods/tunnel';
import { SshRunner } from '../../../core/hosts/sshRunner';
import { type PodCommandDeps, jupyterSecret, pickPod, podSshSpec, provider } from './podCommandDeps';
import { UserError } from '../../../core/errors/userError';

/** Pods: Start SSH Tunnel to Jupyter. */
export async function startTunnel(deps: PodCommandDeps, arg?: PodNode | string): Promise<void> {
  const pod = await pickPod(deps, arg, 'Tunnel to Jupyter on…', (p) => p.state === 'running');
  if (!pod) return;
  const existing = deps.tunnels.get(pod.id);
  const pr = await provider(deps);
  const password = (await deps.secrets.get(jupyterSecret(pod.id))) ?? (await pr.jupyterPassword(pod.id)) ?? '';
  let tunnel = existing;
  if (!tunnel) {
    const runner = deps.hosts.runnerForSpec(podSshSpec(pod));
    if (!(runner instanceof SshRunner)) throw new UserError('the pod is not reachable over SSH');
    tunnel = await withCancellableProgress(`Airlock: tunnel to ${pod.name}`, () =>
      openTunnel(
        pod.id,
        () => runner.connection(),
        8888,
        (e) => deps.log.warn(`tunnel ${pod.name}: ${e.message}`),
      ),
    );
    deps.tunnels.set(pod.id, tunnel);
    deps.onTunnelsChanged();
  }
  const url = jupyterTunnelUrl(tunnel.localPort, password);
  await vscode.env.openExternal(vscode.Uri.parse(url));
  void vscode.window.showInformationMessage(`Airlock: Jupyter on ${pod.name} is at http://localhost:${tunnel.localPort}/ (tunnel over SSH).`);
}
