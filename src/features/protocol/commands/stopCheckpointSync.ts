import * as vscode from 'vscode';
import { HostNode } from '../../hosts/hostNodes';
import { CheckpointsNode } from '../../hosts/syncNodes';
import { withCancellableProgress } from '../../progress';
import { UserError } from '../../../core/errors/userError';
import { stopWatchCommand } from '../../../core/sync/remoteSync';
import { pickSync, unfollowSyncLog, type SyncCommandDeps } from '../syncCommandDeps';

/** Airlock: Stop Checkpoint Sync — TERM the watcher's process group (it records the stop), KILL it after 20 s. */
export async function stopCheckpointSync(deps: SyncCommandDeps, arg?: CheckpointsNode | HostNode | string, dirArg?: string): Promise<void> {
  const rec = await pickSync(deps, arg, dirArg, 'Stop which checkpoint sync?');
  if (!rec) return;
  const runner = deps.hosts.model.runner(rec.host);
  const out = await withCancellableProgress(`Airlock: stopping the checkpoint sync of ${rec.host}:${rec.dir}`, async (signal) => {
    const r = await runner.exec(stopWatchCommand(rec.dir), { signal, timeoutMs: 90_000 });
    if (r.code !== 0) throw new UserError(`could not stop it: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`);
    return r.stdout.trim().split('\n').at(-1) ?? '';
  });
  unfollowSyncLog(deps, rec.host, rec.dir);
  await deps.syncs.load(rec.host);
  void vscode.window.showInformationMessage(
    out === 'not running'
      ? `Airlock: the checkpoint sync of ${rec.host}:${rec.dir} was not running.`
      : `Airlock: checkpoint sync of ${rec.host}:${rec.dir} stopped; what it confirmed stays recorded in ${rec.dir}/.airlock/sync-state.json.`,
  );
}
