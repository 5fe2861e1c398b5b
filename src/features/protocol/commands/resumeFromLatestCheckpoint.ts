import * as vscode from 'vscode';
import { HostNode } from '../../hosts/hostNodes';
import { CheckpointsNode } from '../../hosts/syncNodes';
import { withCancellableProgress } from '../../progress';
import { UserError } from '../../../core/errors/userError';
import { parseSyncConfig } from '../../../core/sync/syncConfig';
import { foregroundCommand, remoteSyncFiles, secretsInput, type SyncSecrets } from '../../../core/sync/remoteSync';
import type { ResumeResult } from '../../../core/sync/resume';
import { hfTokenOrAsk, pickSync, syncEndpoints, type SyncCommandDeps } from '../syncCommandDeps';

const tierName = { local: 'the local disk', drive: 'Google Drive', hf: 'the Hugging Face Hub' } as const;

/**
 * Airlock: Resume From Latest Checkpoint… — `airlock sync resume --latest -o OUT` on the host with the
 * sync's own config: local disk, then Drive, then the Hub, hash-checked; says where it came from and why
 * earlier tiers were skipped.
 */
export async function resumeFromLatestCheckpoint(
  deps: SyncCommandDeps,
  arg?: CheckpointsNode | HostNode | string,
  outArg?: string,
): Promise<ResumeResult | undefined> {
  const rec = await pickSync(deps, arg, undefined, 'Resume from which checkpoint sync?');
  if (!rec) return undefined;
  const out =
    typeof outArg === 'string'
      ? outArg
      : await vscode.window.showInputBox({
          title: `Put the checkpoint on ${rec.host} into`,
          value: `${rec.dir}/resume`,
          prompt: 'The training script loads it from there',
          ignoreFocusOut: true,
        });
  if (!out) return undefined;
  const runner = deps.hosts.model.runner(rec.host);
  const files = remoteSyncFiles(rec.dir);
  const cfgText = await runner.exec(`cat ${files.config}`, { timeoutMs: 30_000 });
  if (cfgText.code !== 0) throw new UserError(`${rec.host}:${files.config} is gone — start the sync there again (it uploads the config).`);
  const config = parseSyncConfig(cfgText.stdout, `${rec.host}:${files.config}`);
  const secrets: SyncSecrets = {};
  if (config.drive) {
    const drive = await deps.drive.get();
    if (drive) secrets.drive = drive;
  }
  if (config.hf) {
    const token = await hfTokenOrAsk(deps.secrets);
    if (token) secrets.hfToken = token;
  }
  const r = await withCancellableProgress(`Airlock: resuming on ${rec.host} from the latest checkpoint`, async (signal, report) => {
    report('local disk, then Drive, then the Hub…');
    const res = await runner.exec(
      foregroundCommand({
        cli: rec.cli,
        args: ['sync', 'resume', '--latest', '-o', out, '--dir', rec.dir, '--config', files.config, '--json'],
        endpoints: syncEndpoints(),
      }),
      { signal, timeoutMs: 6 * 3600_000, input: secretsInput(secrets), onStderr: (l) => report(l.replace(/^airlock sync: /, '')) },
    );
    const line = res.stdout.trim().split('\n').at(-1) ?? '';
    let parsed: (ResumeResult & { error?: undefined }) | { error: string; skipped: ResumeResult['skipped'] } | undefined;
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      parsed = undefined;
    }
    if (res.code !== 0 || !parsed || parsed.error !== undefined) {
      const why =
        parsed?.skipped?.map((s) => `${tierName[s.tier]}: ${s.reason}`).join('; ') ?? (res.stderr.trim().split('\n').slice(-2).join(' ') || `exit ${res.code}`);
      throw new UserError(`No checkpoint to resume from on ${rec.host} — ${why}`);
    }
    return parsed;
  });
  const skipped = r.skipped.map((s) => `${tierName[s.tier]} skipped: ${s.reason}`);
  void vscode.window.showInformationMessage(
    `Airlock: resumed ${r.name} from ${tierName[r.tier]} into ${rec.host}:${r.path} (sha256 ${r.sha256.slice(0, 12)}…, checked).${skipped.length ? ` ${skipped.join('; ')}.` : ''}`,
  );
  return r;
}
