// Drive credentials for the command line, never from a flag value: a service-account key file
// (--service-account-file, or the path in AIRLOCK_DRIVE_SA_JSON), or the OAuth sign-in that
// `airlock colab login` stored in the user's config directory with mode 0600 — the same place and
// protection gcloud uses for its own tokens. (The editor keeps both in SecretStorage instead.)
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../core/fs/writeFileAtomic';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseServiceAccountKey, type DriveCredentials } from '../../core/colab/driveKeys';
import { InputError, UsageError } from '../errors';

export function airlockConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AIRLOCK_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'airlock');
}

const oauthTokenFile = (env: NodeJS.ProcessEnv = process.env) => join(airlockConfigDir(env), 'google-drive-oauth.json');

export async function storeOAuthSignIn(
  v: { clientId: string; clientSecret: string; refreshToken: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const file = oauthTokenFile(env);
  await mkdir(airlockConfigDir(env), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${JSON.stringify(v, null, 2)}\n`, { mode: 0o600, forceMode: true });
  return file;
}

/** The credentials to use, in order: --service-account-file, AIRLOCK_DRIVE_SA_JSON, the stored sign-in. */
export async function cliDriveCredentials(serviceAccountFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<DriveCredentials> {
  const keyFile = serviceAccountFile ?? env.AIRLOCK_DRIVE_SA_JSON;
  if (keyFile) {
    const keyJson = await readFile(keyFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`the service-account key ${keyFile} cannot be read (${e.code ?? e.message})`);
    });
    try {
      parseServiceAccountKey(keyJson);
    } catch (e) {
      throw new InputError(`${keyFile}: ${(e as Error).message}`);
    }
    return { kind: 'service-account', keyJson };
  }
  const stored = await readFile(oauthTokenFile(env), 'utf8').catch(() => undefined);
  if (stored) {
    const s = JSON.parse(stored) as { clientId?: string; clientSecret?: string; refreshToken?: string };
    if (s.clientId && s.clientSecret && s.refreshToken)
      return { kind: 'oauth', clientId: s.clientId, clientSecret: s.clientSecret, refreshToken: s.refreshToken };
  }
  throw new UsageError(
    'no Google Drive credentials: pass --service-account-file KEY.json, set AIRLOCK_DRIVE_SA_JSON to its path, or run "airlock colab login --oauth-client-file client_secret.json" once',
  );
}
