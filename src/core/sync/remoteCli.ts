// The CLI a host needs for `airlock sync` and `airlock data`: the single-file CLI (as for phase
// workers) plus the Colab bundle beside it, which holds the Google Drive client (`loadColab`
// resolves `airlock-colab` from the CLI's own node_modules). Each is copied only when the host's
// copy differs.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { HostRunner } from '../hosts/types';
import { ensureRemoteCli } from '../phases/workerLaunch';

const remoteColabDir = '~/.airlock/bin/node_modules/airlock-colab';

export async function ensureRemoteSyncCli(runner: HostRunner, cliPath: string, signal?: AbortSignal): Promise<string> {
  const cli = await ensureRemoteCli(runner, cliPath, signal);
  const local = join(dirname(cliPath), 'node_modules', 'airlock-colab');
  const sha = createHash('sha256')
    .update(await readFile(join(local, 'index.js')))
    .digest('hex');
  const have = await runner.exec(`sha256sum ${remoteColabDir}/index.js 2>/dev/null`, { signal, timeoutMs: 30_000 });
  if (!have.stdout.startsWith(sha)) {
    await runner.exec(`mkdir -p ${remoteColabDir}`, { signal, timeoutMs: 30_000 });
    await runner.upload(join(local, 'package.json'), `${remoteColabDir}/package.json`, signal);
    await runner.upload(join(local, 'index.js'), `${remoteColabDir}/index.js`, signal);
  }
  return cli;
}
