import * as vscode from 'vscode';
import { HostNode } from '../../hosts/hostNodes';
import { pickHost } from '../../hosts/commands/hostCommandDeps';
import { withCancellableProgress } from '../../progress';
import { UserError } from '../../../core/errors/userError';
import { ensureRemoteSyncCli } from '../../../core/sync/remoteCli';
import { foregroundCommand, secretsInput, type SyncSecrets } from '../../../core/sync/remoteSync';
import { normalizeDataSource } from '../../../core/sync/remoteData';
import type { DataFetchResult } from '../../../core/data/dataFetch';
import { hfTokenOrAsk, syncEndpoints, type SyncCommandDeps } from '../syncCommandDeps';

/**
 * Airlock: Fetch Data to Host… — `airlock data fetch SOURCE DEST` on the host (hash-checked, resumable,
 * cached per revision); a network-mount destination is refused with the CLI's reason.
 */
export async function fetchDataToHost(
  deps: SyncCommandDeps,
  arg?: HostNode | string,
  sourceArg?: string,
  destArg?: string,
): Promise<DataFetchResult | undefined> {
  const spec = await pickHost(deps.hosts, arg, 'Fetch a dataset onto…');
  if (!spec) return undefined;
  const raw =
    typeof sourceArg === 'string'
      ? sourceArg
      : await vscode.window.showInputBox({
          title: 'Dataset',
          prompt: 'hf://datasets/NAMESPACE/NAME[@REVISION] (or hf:NAMESPACE/NAME) for a Hugging Face dataset, drive:FOLDER/PATH for a Drive file or folder',
          placeHolder: 'hf://datasets/…',
          ignoreFocusOut: true,
          validateInput: (v) => (normalizeDataSource(v) ? undefined : 'hf://datasets/NAMESPACE/NAME[@REVISION] or drive:FOLDER/PATH'),
        });
  if (!raw) return undefined;
  const source = normalizeDataSource(raw);
  if (!source) throw new UserError(`"${raw}" is not a dataset: use hf://datasets/NAMESPACE/NAME[@REVISION] or drive:FOLDER/PATH.`);
  const dest =
    typeof destArg === 'string'
      ? destArg
      : await vscode.window.showInputBox({
          title: `Destination on ${spec.name} (its local disk — never a network mount)`,
          value: `${spec.workDir ?? '~'}/data`,
          ignoreFocusOut: true,
        });
  if (!dest) return undefined;
  const secrets: SyncSecrets = {};
  if (source.startsWith('hf:')) {
    const token = await hfTokenOrAsk(deps.secrets);
    if (!token) return undefined;
    secrets.hfToken = token;
  } else {
    const drive = await deps.drive.getOrAsk();
    if (!drive) return undefined;
    secrets.drive = drive;
  }
  const runner = deps.hosts.model.runner(spec.name);
  const r = await withCancellableProgress(`Airlock: fetching ${source} onto ${spec.name}`, async (signal, report) => {
    const cli = await ensureRemoteSyncCli(runner, deps.cliPath, signal);
    report('downloading…');
    const res = await runner.exec(foregroundCommand({ cli, args: ['data', 'fetch', source, dest, '--json'], endpoints: syncEndpoints() }), {
      signal,
      timeoutMs: 24 * 3600_000,
      input: secretsInput(secrets),
      onStderr: (l) => report(l.replace(/^airlock data: /, '')),
    });
    if (res.code !== 0) {
      // The CLI's own words: a refused network mount, a missing dataset, a hash mismatch.
      const why = res.stderr
        .trim()
        .split('\n')
        .filter((l) => !/^airlock data: (downloading|fetching|\d)/.test(l))
        .slice(-2)
        .join(' ');
      throw new UserError(`Fetching ${source} onto ${spec.name}:${dest} failed — ${why.replace(/^airlock data: /, '') || `exit ${res.code}`}`);
    }
    return JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '{}') as DataFetchResult;
  });
  void vscode.window.showInformationMessage(
    `Airlock: ${r.source}@${r.revision} on ${spec.name}:${r.dest} — ${r.files.length} files, ${r.cached ? 'already there (same revision), nothing downloaded' : `${r.downloadedBytes} bytes downloaded`}, hash-checked.`,
  );
  return r;
}
