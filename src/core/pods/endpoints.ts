import type { HostSpec } from '../hosts/types';
import type { PodInfo } from './types';
import { sshCommandLine } from '../ssh/sshCommandLine';

export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
}

/** Direct SSH: the runtime mapping of private port 22 on a public IP; undefined until the pod runs. */
export function sshEndpoint(pod: PodInfo, user = 'root'): SshEndpoint | undefined {
  const p = pod.ports.find((x) => x.privatePort === 22 && x.isPublic && x.ip && x.publicPort);
  return p ? { host: p.ip!, port: p.publicPort!, user } : undefined;
}

/** The pod's name as a host (`pod:<name>`): its SSH spec, the bundle it received (.airlock/bundles/), the journal. */
export const podHostName = (pod: Pick<PodInfo, 'name'>): string => `pod:${pod.name}`;

/** The pod as an SSH machine (the CLI's and the editor's one description): root on its public 22/tcp mapping. */
export function podHostSpec(pod: PodInfo, ssh: SshEndpoint, identity?: string): HostSpec {
  return {
    name: podHostName(pod),
    kind: 'ssh',
    source: 'workspace',
    hostName: ssh.host,
    port: ssh.port,
    user: ssh.user,
    ...(identity ? { identityFiles: [identity] } : {}),
  };
}

/** `ssh -p PORT root@IP`, optionally with a local forward of Jupyter (`-L local:localhost:remote`). */
export function sshCommand(ssh: SshEndpoint, forward?: { localPort: number; remotePort: number }): string {
  // The address comes from the cloud API: it goes through the one quoted builder like any other host.
  return sshCommandLine({ ...ssh, localForwards: forward ? [{ localPort: forward.localPort, remoteHost: 'localhost', remotePort: forward.remotePort }] : [] });
}

/** The URL of Jupyter through a local tunnel; the password doubles as the token (the images' start script sets it so). */
export function jupyterTunnelUrl(localPort: number, password: string): string {
  return `http://localhost:${localPort}/?token=${encodeURIComponent(password)}`;
}

/** True when `port` is mapped (http through the proxy, tcp with a public address). */
export function portReady(pod: PodInfo, spec: string): boolean {
  const [num, proto = 'http'] = spec.split('/');
  const port = Number(num);
  const mapped = pod.ports.find((p) => p.privatePort === port);
  if (!mapped) return false;
  return proto === 'tcp' ? mapped.isPublic && !!mapped.ip && !!mapped.publicPort : true;
}

/**
 * How the editor names a RunPod API endpoint that is not RunPod's own (the demo's fake, a proxy), so
 * a researcher never mistakes it for the real service: `label` when given (the demo passes
 * AIRLOCK_RUNPOD_ENDPOINT_LABEL="demo endpoint"), else "endpoint host:port"; undefined for RunPod's.
 */
export function endpointLabel(endpoint: string, label?: string): string | undefined {
  if (label?.trim()) return label.trim();
  if (!endpoint.trim()) return undefined;
  try {
    return `endpoint ${new URL(endpoint).host}`;
  } catch {
    return `endpoint ${endpoint}`;
  }
}
