// Credentials and endpoints for the sync and data commands, never from a flag value: Drive as for
// `airlock colab` (AIRLOCK_DRIVE_SA_JSON or the stored sign-in); the Hub token from HF_TOKEN, the
// file in AIRLOCK_HF_TOKEN_FILE, or huggingface_hub's own token file ($HF_HOME/token).
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadColab } from '../../core/colab/loadColab';
import type { DriveApi } from '../../core/colab/driveClient';
import { HubApi } from '../../core/hfhub/hubClient';
import { UsageError } from '../errors';
import { cliDriveCredentials } from './colabCredentials';

export interface EndpointFlags {
  'hub-url'?: string | undefined;
  'drive-root-url'?: string | undefined;
  'token-url'?: string | undefined;
}

export async function hubToken(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.HF_TOKEN) return env.HF_TOKEN.trim();
  const file = env.AIRLOCK_HF_TOKEN_FILE ?? join(env.HF_HOME ?? join(homedir(), '.cache', 'huggingface'), 'token');
  const t = await readFile(file, 'utf8').catch(() => undefined);
  if (t?.trim()) return t.trim();
  throw new UsageError('no Hugging Face token: set HF_TOKEN, or AIRLOCK_HF_TOKEN_FILE to a file holding it (or run "huggingface-cli login" once)');
}

export function hubApi(token: string, f: EndpointFlags, signal: AbortSignal): HubApi {
  return new HubApi({ accessToken: token, ...(f['hub-url'] ? { hubUrl: f['hub-url'] } : {}), signal, retryDelayMs: 500 });
}

export async function driveApi(f: EndpointFlags, signal: AbortSignal): Promise<DriveApi> {
  const credentials = await cliDriveCredentials(undefined);
  const { DriveApi } = await loadColab();
  return DriveApi.open({
    credentials,
    signal,
    retries: 3,
    retryDelayMs: 300,
    ...(f['drive-root-url'] ? { rootUrl: f['drive-root-url'] } : {}),
    ...(f['token-url'] ? { tokenUrl: f['token-url'] } : {}),
  });
}
