// `airlock colab results RUN` (list, status, --download) and `airlock colab login` (OAuth sign-in
// through a loopback redirect; the refresh token is stored 0600 in the config directory).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliContext } from '../types';
import { InputError, UsageError } from '../errors';
import type { ColabFlags } from './colab';
import { cliDriveCredentials, storeOAuthSignIn } from './colabCredentials';
import { parseOAuthClientFile } from '../../core/colab/driveKeys';
import { loadColab } from '../../core/colab/loadColab';

export async function colabResults(runId: string, v: ColabFlags, ctx: CliContext): Promise<number> {
  const credentials = await cliDriveCredentials(v['service-account-file']);
  const { DriveApi, downloadRunResults, driveFolderUrl, findRunFolder, listRunResults, readRunStatus } = await loadColab();
  const drive = await DriveApi.open({ credentials, rootUrl: v['drive-root-url'], tokenUrl: v['token-url'], signal: ctx.signal });
  const driveFolder = (v['drive-folder'] ?? 'Airlock/runs').replace(/^\/+|\/+$/g, '');
  const folder = await findRunFolder(drive, driveFolder, runId, v['drive-root-id']);
  if (!folder) throw new InputError(`no run "${runId}" in Drive folder ${driveFolder} (pass --drive-folder if the run went elsewhere)`);
  const [files, status] = await Promise.all([listRunResults(drive, folder.id), readRunStatus(drive, folder.id)]);
  if (v.json)
    ctx.stdout.write(`${JSON.stringify({ runId, folderId: folder.id, folderUrl: driveFolderUrl(folder.id), status: status ?? null, files }, null, 2)}\n`);
  else {
    ctx.stderr.write(
      `[colab] ${runId}: ${status ? `${status.state}, cell ${status.cell}/${status.total}${status.error ? ` — ${status.error}` : ''} (updated ${status.updatedAt})` : 'no status reported'} · ${driveFolderUrl(folder.id)}\n`,
    );
    for (const f of files) ctx.stdout.write(`${f.path}\t${f.size ?? '-'}\t${f.modifiedTime ?? ''}\n`);
  }
  if (v.download) {
    const dest = join(v.download, runId);
    const got = await downloadRunResults(drive, folder.id, dest, {
      signal: ctx.signal,
      onFile: (f) => ctx.stderr.write(f.local ? `[colab] downloaded ${f.local}\n` : `[colab] skipped ${f.path}: ${f.skipped}\n`),
    });
    ctx.stderr.write(
      `[colab] ${got.filter((f) => f.local).length} files in ${dest}${got.some((f) => /\.html$/.test(f.path)) ? ` — open ${got.find((f) => /\.html$/.test(f.path))!.local} in a browser` : ''}\n`,
    );
  }
  return 0;
}

function openInBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    spawn(cmd, [url], { stdio: 'ignore', detached: true })
      .on('error', () => undefined)
      .unref();
  } catch {
    /* the URL is printed anyway */
  }
}

export async function colabLogin(v: ColabFlags, ctx: CliContext): Promise<number> {
  if (!v['oauth-client-file'])
    throw new UsageError('login needs --oauth-client-file client_secret.json (Google Cloud Console → Credentials → OAuth client ID → Desktop app)');
  const client = parseOAuthClientFile(
    await readFile(v['oauth-client-file'], 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new InputError(`${v['oauth-client-file']}: cannot be read (${e.code ?? e.message})`);
    }),
  );
  const { signInWithLoopback } = await loadColab();
  const tokens = await signInWithLoopback({
    ...client,
    signal: ctx.signal,
    ...(v['token-url'] ? { tokenUrl: v['token-url'] } : {}),
    ...(v['auth-url'] ? { authUrl: v['auth-url'] } : {}),
    openUrl: (url) => {
      ctx.stderr.write(`[colab] Sign in to Google to let Airlock use your Drive:\n${url}\n`);
      if (!v['no-browser']) openInBrowser(url);
    },
  });
  const file = await storeOAuthSignIn({ ...client, refreshToken: tokens.refreshToken });
  ctx.stderr.write(`[colab] signed in; the refresh token is in ${file} (readable only by you)\n`);
  return 0;
}
