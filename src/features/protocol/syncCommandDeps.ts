// What the checkpoint-sync and data commands need, the Hugging Face token in SecretStorage, the
// endpoint overrides (tests and proxies only) and resolving which sync a command acts on.
import * as vscode from 'vscode';
import type { HostRunner } from '../../core/hosts/types';
import type { JobRegistry } from '../../core/jobs/jobRegistry';
import type { RunLoggedHandle } from '../../core/logs/runLogged';
import { remoteSyncFiles, resolveDirCommand, type SyncEndpoints } from '../../core/sync/remoteSync';
import type { DriveCredentialStore } from '../notebook/driveCredentials';
import type { HostCommandDeps } from '../hosts/commands/hostCommandDeps';
import { HostNode } from '../hosts/hostNodes';
import type { SyncModel, SyncRecord } from '../hosts/syncModel';
import type { CheckpointsNode } from '../hosts/syncNodes';
import { UserError } from '../../core/errors/userError';

export interface SyncCommandDeps {
  hosts: HostCommandDeps;
  syncs: SyncModel;
  /** The bundled single-file CLI (copied to hosts that lack it). */
  cliPath: string;
  logs: {
    jobs: JobRegistry;
    run(runner: HostRunner, title: string, command: string, kind?: 'command' | 'tail', group?: string[]): RunLoggedHandle;
  };
  drive: DriveCredentialStore;
  secrets: vscode.SecretStorage;
}

/** The Live Logs group of every sync's log. */
export const checkpointSyncGroup = 'checkpoint sync';

const hfTokenKey = 'airlock.huggingface.token';

/** Stores a new Hugging Face token (asked for when not given); a sync started later uses it. */
export async function storeHfToken(secrets: vscode.SecretStorage, token?: string): Promise<boolean> {
  const t = token ?? (await askHfToken());
  if (!t?.trim()) return false;
  await secrets.store(hfTokenKey, t.trim());
  return true;
}

const askHfToken = () =>
  vscode.window.showInputBox({
    title: 'Hugging Face token with write access (kept in secret storage, sent to the host only on stdin)',
    prompt: 'huggingface.co → Settings → Access Tokens',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'a token, e.g. hf_…'),
  });

/** The stored Hugging Face token, or asks for one (stored in SecretStorage); undefined when the user walks away. */
export async function hfTokenOrAsk(secrets: vscode.SecretStorage): Promise<string | undefined> {
  const have = await secrets.get(hfTokenKey);
  if (have) return have;
  const t = await askHfToken();
  if (!t?.trim()) return undefined;
  await secrets.store(hfTokenKey, t.trim());
  return t.trim();
}

/** Endpoint overrides, read from the extension host's environment (the fakes in tests; never needed against Google or the Hub). */
export function syncEndpoints(env: NodeJS.ProcessEnv = process.env): SyncEndpoints {
  return {
    ...(env.AIRLOCK_HF_HUB_URL ? { hubUrl: env.AIRLOCK_HF_HUB_URL } : {}),
    ...(env.AIRLOCK_DRIVE_ROOT_URL ? { driveRootUrl: env.AIRLOCK_DRIVE_ROOT_URL } : {}),
    ...(env.AIRLOCK_GOOGLE_TOKEN_URL ? { tokenUrl: env.AIRLOCK_GOOGLE_TOKEN_URL } : {}),
  };
}

/** The sync a command acts on: its Checkpoints row, or a host (row or name) and the directory given or picked. */
export async function pickSync(
  deps: SyncCommandDeps,
  arg: CheckpointsNode | HostNode | string | undefined,
  dirArg: string | undefined,
  placeHolder: string,
): Promise<SyncRecord | undefined> {
  // By shape, not class: a row may come from another bundle's copy of the class (the test tier).
  if (typeof arg === 'object' && arg.kind === 'checkpoints') return deps.syncs.record(arg.host, arg.dir);
  const host = arg instanceof HostNode ? arg.name : arg;
  if (!host) {
    const all = deps.hosts.model.hosts.map((h) => h.spec.name).flatMap((h) => deps.syncs.records(h));
    if (!all.length) throw new UserError('No checkpoint sync was started from this workspace — run "Airlock: Start Checkpoint Sync on Host…" first.');
    const pick = await vscode.window.showQuickPick(
      all.map((r) => ({ label: r.host, description: r.dir, rec: r })),
      { placeHolder },
    );
    return pick?.rec;
  }
  const recs = deps.syncs.records(host);
  if (dirArg) return recs.find((r) => r.dir === dirArg.replace(/\/+$/, '')) ?? (await resolveByPath(deps, host, dirArg));
  if (!recs.length) throw new UserError(`No checkpoint sync was started on ${host} from this workspace — run "Airlock: Start Checkpoint Sync on Host…" first.`);
  if (recs.length === 1) return recs[0];
  const pick = await vscode.window.showQuickPick(
    recs.map((r) => ({ label: r.dir, rec: r })),
    { placeHolder },
  );
  return pick?.rec;
}

/** A directory given as `~/x` or with a trailing slash: matched by its absolute path on the host. */
async function resolveByPath(deps: SyncCommandDeps, host: string, dir: string): Promise<SyncRecord> {
  const r = await deps.hosts.model.runner(host).exec(resolveDirCommand(dir), { timeoutMs: 60_000 });
  const abs = r.stdout.trim();
  const rec = deps.syncs.record(host, abs);
  if (!rec) throw new UserError(`No checkpoint sync of ${host}:${dir} was started from this workspace.`);
  return rec;
}

/** The log tail of each sync this window follows, so Stop ends it and a re-start does not open a second. */
const tails = new Map<string, string>();
const tailKey = (host: string, dir: string) => `${host}\u0000${dir}`;

/** Tails the sync's log into Live Logs (once per window). */
export function followSyncLog(deps: SyncCommandDeps, host: string, absDir: string): void {
  const key = tailKey(host, absDir);
  const have = tails.get(key);
  if (have && deps.logs.jobs.running().some((j) => j.id === have)) return;
  const title = `checkpoint sync ${absDir} on ${host}`;
  const t = deps.logs.run(deps.hosts.model.runner(host), title, `tail -n +1 -F ${remoteSyncFiles(absDir).log}`, 'tail', [checkpointSyncGroup]);
  tails.set(key, t.jobId);
  void t.done.finally(() => tails.get(key) === t.jobId && tails.delete(key));
}

/** Ends the log tail of a stopped sync. */
export function unfollowSyncLog(deps: SyncCommandDeps, host: string, absDir: string): void {
  const id = tails.get(tailKey(host, absDir));
  if (id) deps.logs.jobs.cancel(id);
}
