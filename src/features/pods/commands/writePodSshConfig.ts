import * as vscode from 'vscode';
import { sshEndpoint } from '../../../core/pods/endpoints';
import { upsertSshConfigHost } from '../../../core/ssh/sshConfig';
import { readSettings } from '../../settings';
import { PodNode } from '../podNodes';
import { type PodCommandDeps, pickPod } from './podCommandDeps';
import { UserError } from '../../../core/errors/userError';

/** Pods: Write SSH Config entry for the pod. */
export async function writePodSshConfig(deps: PodCommandDeps, arg?: PodNode | string): Promise<void> {
  const pod = await pickPod(deps, arg, 'Add an ~/.ssh/config entry for…', (p) => p.state === 'running');
  if (!pod) return;
  const ssh = sshEndpoint(pod);
  if (!ssh) throw new UserError(`${pod.name} has no public SSH port yet.`);
  const alias = pod.name.replace(/[^A-Za-z0-9._-]/g, '-');
  const s = readSettings();
  const r = await upsertSshConfigHost(s.sshConfigPath, alias, {
    HostName: ssh.host,
    Port: ssh.port,
    User: ssh.user,
    ...(s.podsSshIdentityFile ? { IdentityFile: s.podsSshIdentityFile } : {}),
  });
  await deps.hosts.model.reload();
  void vscode.window.showInformationMessage(
    r.created
      ? `Airlock: added Host ${alias} to ${s.sshConfigPath}.`
      : r.changes.length
        ? `Airlock: updated Host ${alias}: ${r.changes.map((c) => `${c.field} ${c.before ?? '—'} → ${c.after}`).join(', ')} (backup ${r.backupPath}).`
        : `Airlock: Host ${alias} is already up to date.`,
  );
}
