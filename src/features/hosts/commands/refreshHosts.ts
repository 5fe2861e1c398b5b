import * as vscode from 'vscode';
import { HostNode } from '../hostNodes';
import type { HostCommandDeps } from './hostCommandDeps';

/** Hosts: Refresh — one host from its row, else every host now (manual refresh is immediate). */
export async function refreshHosts(deps: HostCommandDeps, arg?: HostNode): Promise<void> {
  if (arg instanceof HostNode) {
    await deps.model.refresh([arg.name]);
    return;
  }
  await vscode.window.withProgress({ location: { viewId: 'airlock.hosts' }, title: 'Probing hosts' }, () => deps.refresh.refreshNow());
}
