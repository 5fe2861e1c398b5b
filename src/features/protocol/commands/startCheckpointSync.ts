import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HostNode } from '../../hosts/hostNodes';
import { pickHost } from '../../hosts/commands/hostCommandDeps';
import { withCancellableProgress } from '../../progress';
import { UserError } from '../../../core/errors/userError';
import { ensureRemoteSyncCli } from '../../../core/sync/remoteCli';
import { loadSyncConfig } from '../../../core/sync/syncConfig';
import { remoteSyncConfigUpload, remoteSyncFiles, resolveDirCommand, secretsInput, startWatchCommand, type SyncSecrets } from '../../../core/sync/remoteSync';
import { followSyncLog, hfTokenOrAsk, syncEndpoints, type SyncCommandDeps } from '../syncCommandDeps';

/**
 * Airlock: Start Checkpoint Sync on Host… — uploads the sync config and starts `airlock sync watch DIR`
 * detached there (it outlives the editor), unless one already watches DIR; its log streams into Live Logs.
 */
export async function startCheckpointSync(deps: SyncCommandDeps, arg?: HostNode | string, dirArg?: string, configArg?: vscode.Uri | string): Promise<void> {
  const spec = await pickHost(deps.hosts, arg, 'Start a checkpoint sync on…');
  if (!spec) return;
  const dir =
    typeof dirArg === 'string'
      ? dirArg
      : await vscode.window.showInputBox({
          title: `Checkpoint directory on ${spec.name} (the training process writes its checkpoints there)`,
          value: `${deps.hosts.model.bundle(spec.name)?.dir ?? spec.workDir ?? '~'}/checkpoints`,
          ignoreFocusOut: true,
        });
  if (!dir) return;
  const configFile = configArg ? (typeof configArg === 'string' ? configArg : configArg.fsPath) : await pickConfig();
  if (!configFile) return;
  // A bad config stops here, with its file and line, before anything reaches the host.
  const config = await loadSyncConfig(configFile);
  const secrets: SyncSecrets = {};
  if (config.drive) {
    const drive = await deps.drive.getOrAsk();
    if (!drive) return;
    secrets.drive = drive;
  }
  if (config.hf) {
    const token = await hfTokenOrAsk(deps.secrets);
    if (!token) return;
    secrets.hfToken = token;
  }
  const runner = deps.hosts.model.runner(spec.name);
  const r = await withCancellableProgress(`Airlock: starting the checkpoint sync on ${spec.name}`, async (signal, report) => {
    report('checking the Airlock CLI there…');
    const cli = await ensureRemoteSyncCli(runner, deps.cliPath, signal);
    const where = await runner.exec(resolveDirCommand(dir), { signal, timeoutMs: 60_000 });
    const absDir = where.stdout.trim().split('\n').at(-1) ?? '';
    if (where.code !== 0 || !absDir.startsWith('/'))
      throw new UserError(`cannot use ${spec.name}:${dir}: ${(where.stderr || where.stdout).trim() || `exit ${where.code}`}`);
    report('uploading the config…');
    await runner.exec(`mkdir -p ${remoteSyncFiles(absDir).base}`, { signal, timeoutMs: 30_000 });
    await runner.upload(configFile, remoteSyncConfigUpload(absDir), signal);
    report('starting the watcher…');
    const started = await runner.exec(startWatchCommand({ cli, absDir, endpoints: syncEndpoints() }), {
      signal,
      timeoutMs: 120_000,
      input: secretsInput(secrets),
    });
    const last = started.stdout.trim().split('\n').at(-1) ?? '';
    const m = /^(started|already) (\d+)$/.exec(last);
    if (started.code !== 0 || !m)
      throw new UserError(`the sync did not start on ${spec.name}: ${(started.stderr || started.stdout).trim().split('\n').slice(-4).join(' ')}`);
    return { cli, absDir, already: m[1] === 'already', pid: m[2]! };
  });
  await deps.syncs.add({ host: spec.name, dir: r.absDir, startedAt: new Date().toISOString(), cli: r.cli });
  followSyncLog(deps, spec.name, r.absDir);
  void deps.syncs.load(spec.name);
  void vscode.window.showInformationMessage(
    r.already
      ? `Airlock: a checkpoint sync already watches ${spec.name}:${r.absDir} (pid ${r.pid}); it keeps the config it started with — stop it first to change the config.`
      : `Airlock: checkpoint sync of ${spec.name}:${r.absDir} started (pid ${r.pid}); it keeps running when the editor closes. Its log streams into Live Logs.`,
  );
}

async function pickConfig(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const inWorkspace = folder ? join(folder, '.airlock', 'sync.json') : undefined;
  const pickFile = async () =>
    (await vscode.window.showOpenDialog({ title: 'Sync config (tiers, patterns, retention)', filters: { JSON: ['json', 'jsonc'] }, canSelectMany: false }))?.[0]
      ?.fsPath;
  if (!inWorkspace || !existsSync(inWorkspace)) return pickFile();
  const pick = await vscode.window.showQuickPick(
    [
      { label: '.airlock/sync.json', description: 'this workspace', file: inWorkspace },
      { label: '$(folder-opened) Pick a file…', file: undefined },
    ],
    { placeHolder: 'Which sync config? (uploaded to the host)' },
  );
  if (!pick) return undefined;
  return pick.file ?? pickFile();
}
