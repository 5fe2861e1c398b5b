import * as vscode from 'vscode';
import { formatDollars } from '../../../core/pods/cost';
import { withCancellableProgress } from '../../progress';
import { HostNode } from '../hostNodes';
import { type HostCommandDeps, pickHost } from './hostCommandDeps';

/**
 * Hosts: Stop Host — runs the host's `stopCommand` (hosts.json) on this machine, after a modal
 * confirmation with its price (`{ yes: true }` from a caller that already asked). Then the cost
 * guard watches the host's address and offers the ssh-config update when it changes.
 */
export async function stopHost(deps: HostCommandDeps, arg?: HostNode | string, opts?: { yes?: boolean }): Promise<void> {
  const spec = await pickHost(deps, arg, 'Stop which host? (hosts with a "stopCommand" in .airlock/hosts.json)', (s) => !!s.stopCommand);
  if (!spec) return;
  if (!opts?.yes) {
    const idle = deps.model.idle(spec.name);
    const cost = [
      spec.pricePerHour !== undefined ? `It costs ${formatDollars(spec.pricePerHour)}/hr` : 'It has no price in hosts.json',
      idle?.idle ? `idle for ${Math.round(idle.idleMinutes ?? 0)} min` : idle ? `busy: ${idle.why}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    const ok = await vscode.window.showWarningMessage(
      `Stop host "${spec.name}"?`,
      {
        modal: true,
        detail: `${cost}.\n\nAirlock runs its stopCommand here, on this machine (with your cloud CLI's login), not on the host:\n\n${spec.stopCommand ?? '(none)'}\n\nAnything running on the host is stopped with it.`,
      },
      'Stop Host',
    );
    if (ok !== 'Stop Host') return;
  }
  const before = spec.kind === 'ssh' ? await deps.resolvedSshFields(spec).catch(() => undefined) : undefined;
  await withCancellableProgress(`Airlock: stopping ${spec.name}…`, (signal) => deps.stopHost(spec, signal));
  deps.model.resetIdle(spec.name);
  void vscode.window.showInformationMessage(`Airlock: stopped "${spec.name}" (${spec.stopCommand}).`);
  await deps.stoppedHost(spec, before);
}
