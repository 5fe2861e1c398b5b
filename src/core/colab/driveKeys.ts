// Drive credentials as plain data, and the checks of the files users hand over (a service-account
// key, an OAuth client file). Light on purpose: the editor and the CLI validate and store these
// without loading the Google client libraries (see colabBundle.ts).

export type DriveCredentials =
  | { kind: 'service-account'; keyJson: string; /** Domain-wide delegation: act as this user. */ subject?: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; refreshToken: string };

export class DriveAuthError extends Error {
  override readonly name = 'DriveAuthError';
}

export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  token_uri?: string;
}

/** Checks a key file's shape; the message never contains the key. */
export function parseServiceAccountKey(json: string): ServiceAccountKey {
  let k: Partial<ServiceAccountKey> & { type?: string };
  try {
    k = JSON.parse(json) as typeof k;
  } catch {
    throw new DriveAuthError('the service-account key is not JSON — download a JSON key (IAM → Service accounts → Keys → Add key → JSON)');
  }
  if (k.type !== 'service_account' || !k.client_email || !k.private_key?.includes('PRIVATE KEY')) {
    throw new DriveAuthError('the file is not a service-account JSON key (it needs "type": "service_account", "client_email" and "private_key")');
  }
  return { client_email: k.client_email, private_key: k.private_key, ...(k.token_uri ? { token_uri: k.token_uri } : {}) };
}

/** An installed-app OAuth client from Google Cloud Console's client_secret_*.json (or {client_id, client_secret}). */
export function parseOAuthClientFile(json: string): { clientId: string; clientSecret: string } {
  try {
    const j = JSON.parse(json) as { installed?: Record<string, string>; web?: Record<string, string>; client_id?: string; client_secret?: string };
    const c = j.installed ?? j.web ?? (j as Record<string, string>);
    if (c.client_id && c.client_secret) return { clientId: c.client_id, clientSecret: c.client_secret };
  } catch {
    /* reported below */
  }
  throw new DriveAuthError(
    'the OAuth client file needs client_id and client_secret (Google Cloud Console → Credentials → OAuth client ID → Desktop app → Download JSON)',
  );
}
