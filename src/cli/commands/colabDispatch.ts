// `airlock colab dispatch`: progress and the notebook's output on stderr, only the run id (or the
// --json result) on stdout, so `RUN=$(airlock colab dispatch …)` works; exit 0 when
// the notebook finished, 1 when it failed or could not run (with why and a screenshot), 2 bad input.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CliContext } from '../types';
import { InputError, UsageError } from '../errors';
import type { ColabFlags } from './colab';
import { airlockConfigDir, cliDriveCredentials } from './colabCredentials';
import { parseSetFlags, sendNotice } from './colabShared';
import type { GpuChoice } from '../../core/notebook/render';
import { isParamError } from '../../core/notebook/pyLiteral';
import { isColabError } from '../../core/colab/colabErrors';
import { findColabCli } from '../../core/colab/colabCli';
import type { DispatchEvent, DispatchResult } from '../../core/colab/dispatch';
import { loadColab } from '../../core/colab/loadColab';

const gpus = ['T4', 'L4', 'A100', 'V100', 'none'];

function describe(e: DispatchEvent): string | undefined {
  switch (e.type) {
    case 'rendered':
      return `[colab] run ${e.runId}${e.changed.length ? ` (set ${e.changed.join(', ')})` : ''}`;
    case 'uploaded':
      return `[colab] uploaded to Drive: ${e.notebookUrl}\n[colab] results folder: ${e.folderUrl}`;
    case 'log':
      return `[colab] ${e.message}`;
    case 'status':
      return `[colab] ${e.status.state} · cell ${e.status.cell}/${e.status.total}${e.status.gpu ? ` · ${e.status.gpu}` : ''}`;
    case 'output':
      return undefined;
  }
}

export async function colabDispatch(file: string, v: ColabFlags, ctx: CliContext): Promise<number> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`${file}: cannot be read (${e.code ?? e.message})`);
  });
  const gpu = (v.gpu ?? 'T4') as GpuChoice;
  if (!gpus.includes(gpu)) throw new UsageError(`--gpu must be one of ${gpus.join(', ')}, not "${gpu}"`);
  const timeoutSec = Number(v.timeout ?? 7200);
  if (!(timeoutSec > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got "${v.timeout}"`);
  if (v.notify && !['slack', 'discord', 'json'].includes(v.notify)) throw new UsageError('--notify must be slack, discord or json');
  if (v.notify && !process.env.AIRLOCK_WEBHOOK_URL)
    throw new UsageError('--notify needs the webhook URL in AIRLOCK_WEBHOOK_URL (it is a secret: never on the command line)');
  const transport = v.transport ?? 'browser';
  if (!['browser', 'colab-cli'].includes(transport)) throw new UsageError('--transport must be browser or colab-cli');
  const credentials = await cliDriveCredentials(v['service-account-file']);
  const colabCli = await findColabCli();
  if (transport === 'colab-cli' && !colabCli) throw new UsageError("--transport colab-cli: Google's colab tool is not on PATH (pip install google-colab-cli)");
  if (transport === 'browser' && colabCli)
    ctx.stderr.write(`[colab] Google's colab tool is installed (${colabCli}): --transport colab-cli runs without a browser\n`);

  const say = (line: string) => ctx.stderr.write(`${line}\n`);
  const { dispatchToColab, DriveApi, downloadRunResults } = await loadColab();
  let result: DispatchResult;
  try {
    result = await dispatchToColab({
      templateText: text,
      fileName: basename(file),
      set: parseSetFlags(v.set),
      gpu,
      driveFolder: v['drive-folder'],
      driveRootId: v['drive-root-id'],
      mountRoot: v['mount-root'],
      credentials,
      driveRootUrl: v['drive-root-url'],
      tokenUrl: v['token-url'],
      transport: transport as 'browser' | 'colab-cli',
      ...(colabCli ? { colabCli } : {}),
      browser: {
        ...(v['colab-url'] ? { colabUrl: v['colab-url'] } : {}),
        profileDir: v.profile ?? join(airlockConfigDir(), 'colab-profile'),
        headless: !v.headed,
        ...(v.browser ? { executablePath: v.browser } : {}),
        screenshotDir: v['screenshot-dir'] ?? join('.airlock', 'screenshots'),
      },
      timeoutMs: timeoutSec * 1000,
      ...(v.poll ? { pollMs: Number(v.poll) * 1000 } : {}),
      signal: ctx.signal,
      onEvent: (e) => {
        if (e.type === 'output') ctx.stderr.write(`${e.line}\n`);
        const line = describe(e);
        if (line) say(line);
      },
    });
  } catch (err) {
    if (isParamError(err)) throw new InputError(err.message);
    if (!isColabError(err)) throw err;
    say(`airlock colab: ${err.message}${err.screenshot ? `\n[colab] screenshot: ${err.screenshot}` : ''}`);
    if (v.notify)
      await sendNotice(
        v.notify,
        { title: `Colab ${basename(file)}`, state: err.code === 'timeout' ? 'timed-out' : 'failed', detail: err.message.split(' — ')[0] },
        ctx,
      );
    return 1;
  }
  const s = result.status;
  if (result.state === 'failed')
    say(
      `airlock colab: run ${result.runId} failed${s ? ` in cell ${s.cell}/${s.total}: ${s.error ?? 'unknown error'}` : ''}${s?.traceback ? `\n${s.traceback.trimEnd()}` : ''}${result.screenshot ? `\n[colab] screenshot: ${result.screenshot}` : ''}`,
    );
  else say(`airlock colab: run ${result.runId} done (${result.files.length} files in ${result.folderUrl})`);
  if (v.download) {
    const drive = await DriveApi.open({ credentials, rootUrl: v['drive-root-url'], tokenUrl: v['token-url'], signal: ctx.signal });
    const files = await downloadRunResults(drive, result.folderId, join(v.download, result.runId), {
      signal: ctx.signal,
      onFile: (f) => say(f.local ? `[colab] downloaded ${f.local}` : `[colab] skipped ${f.path}: ${f.skipped}`),
    });
    say(`[colab] ${files.filter((f) => f.local).length} files in ${join(v.download, result.runId)}`);
  }
  if (v.notify)
    await sendNotice(
      v.notify,
      {
        title: `Colab run ${result.runId}`,
        state: result.state,
        detail: result.state === 'failed' ? (s?.error ?? 'failed') : `${result.files.length} files`,
        url: result.folderUrl,
      },
      ctx,
    );
  ctx.stdout.write(v.json ? `${JSON.stringify(result, null, 2)}\n` : `${result.runId}\n`);
  return result.state === 'done' ? 0 : 1;
}
