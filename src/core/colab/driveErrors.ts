// Drive failures as messages a user can act on: which operation, why (Drive's reason), what to do.
// Tokens and keys never appear: only the status, Drive's reason code and our own description.

export class DriveError extends Error {
  override readonly name = 'DriveError';
  constructor(
    message: string,
    readonly status?: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}

interface GaxiosLike {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; data?: unknown; config?: { url?: URL | string } };
}

const retryableReasons = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'backendError', 'internalError']);

export function statusOf(err: unknown): number | undefined {
  const e = err as GaxiosLike;
  return e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
}

function reasonOf(err: unknown): string | undefined {
  const data = (err as GaxiosLike).response?.data as { error?: { errors?: { reason?: string }[] } | string } | undefined;
  if (typeof data?.error === 'string') return data.error;
  return data?.error?.errors?.[0]?.reason;
}

/** 5xx, 429, Drive's rate-limit 403s and dropped connections are worth another try. */
export function isRetryable(err: unknown): boolean {
  const s = statusOf(err);
  if (s === undefined) return !(err instanceof DriveError);
  return s >= 500 || s === 429 || (s === 403 && retryableReasons.has(reasonOf(err) ?? ''));
}

/** A DriveError for `what` ("uploading train.ipynb") from a gaxios / google-auth-library error. */
export function driveError(err: unknown, what: string, attempts = 1): DriveError {
  if (err instanceof DriveError) return err;
  const e = err as GaxiosLike;
  const status = statusOf(err);
  const reason = reasonOf(err);
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const tokenCall =
    /\/token\b/.test(String(e.response?.config?.url ?? '')) || /^(invalid_grant|invalid_client|invalid_scope|unauthorized_client)\b/.test(e.message ?? '');
  if (tokenCall || reason === 'invalid_grant' || reason === 'invalid_client') {
    const data = e.response?.data as { error?: unknown; error_description?: unknown } | undefined;
    const why =
      /invalid_grant: ([^\n]+)/.exec(e.message ?? '')?.[1] ??
      (typeof data?.error_description === 'string' ? `${String(data.error)}: ${data.error_description}` : undefined) ??
      reason ??
      `HTTP ${status}`;
    return new DriveError(
      `Google refused Airlock's credentials while ${what} (${why}) — the service-account key may be deleted or wrong, or the Drive sign-in expired: set a new key or sign in again`,
      status,
      reason ?? 'invalid_grant',
    );
  }
  if (status === undefined) {
    return new DriveError(
      `cannot reach Google Drive while ${what} (${String(e.code ?? e.message ?? 'network error').slice(0, 120)})${tries} — check the network`,
      undefined,
      'network',
    );
  }
  if (status === 401)
    return new DriveError(`Google Drive refused the access token while ${what} (HTTP 401) — sign in again or set a new service-account key`, status, reason);
  if (status === 403) {
    if (reason === 'storageQuotaExceeded')
      return new DriveError(`Google Drive is full while ${what} (storageQuotaExceeded) — free space or use another account`, status, reason);
    if (retryableReasons.has(reason ?? ''))
      return new DriveError(`Google Drive is rate-limiting Airlock while ${what} (${reason})${tries} — wait a minute and retry`, status, reason);
    return new DriveError(
      `no permission on Google Drive while ${what} (${reason ?? 'forbidden'}) — share the folder with the service account's email, or sign in as its owner`,
      status,
      reason,
    );
  }
  if (status === 404)
    return new DriveError(`not found on Google Drive while ${what} — the folder or file was deleted, or is not shared with this account`, status, reason);
  if (status === 429) return new DriveError(`Google Drive is rate-limiting Airlock while ${what} (HTTP 429)${tries} — wait a minute and retry`, status, reason);
  if (status >= 500)
    return new DriveError(
      `Google Drive failed while ${what} (HTTP ${status}${reason ? ` ${reason}` : ''})${tries} — a problem on Google's side; try again later`,
      status,
      reason,
    );
  return new DriveError(`Google Drive answered HTTP ${status}${reason ? ` (${reason})` : ''} while ${what}`, status, reason);
}
