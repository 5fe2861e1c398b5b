/**
 * Why a pod operation failed, so callers can react (try the next offer, ask for a key, wait)
 * without parsing messages.
 */
export type PodErrorCode =
  | 'no-api-key'
  | 'unauthorized'
  | 'no-capacity'
  | 'rate-limited'
  | 'invalid-request'
  | 'not-found'
  | 'provider'
  | 'network'
  | 'not-ready'
  | 'cleanup-failed'
  | 'bad-input';

/**
 * A pod operation failed. `message` is user-facing (what failed, why, what to do) and never
 * contains the API key, a Jupyter password or request variables.
 */
export class PodError extends Error {
  override readonly name = 'PodError';
  constructor(
    readonly code: PodErrorCode,
    message: string,
    readonly details: { podId?: string; retryAfterSec?: number; status?: number } = {},
  ) {
    super(message);
  }
}

export function isPodError(err: unknown, code?: PodErrorCode): err is PodError {
  return err instanceof PodError && (code === undefined || err.code === code);
}
