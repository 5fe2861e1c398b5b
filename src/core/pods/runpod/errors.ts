// RunPod failures → PodError with a message a user can act on. graphql-request's own ClientError
// message embeds the whole request (variables include the Jupyter password), so it is never shown.
import { ClientError } from 'graphql-request';
import { CancelledError, isCancelled } from '../../process/errors';
import { PodError } from '../errors';

interface GqlError {
  message?: string;
  extensions?: { code?: string };
}

export interface ErrorContext {
  endpoint: string;
  apiKey: string;
}

/** The endpoint without query or credentials, safe for messages. */
export function safeEndpoint(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid endpoint URL)';
  }
}

export function redact(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('***') : text;
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - nowMs) / 1000);
}

export function toPodError(err: unknown, ctx: ErrorContext): PodError | CancelledError {
  if (err instanceof PodError || err instanceof CancelledError) return err;
  if (isCancelled(err)) return new CancelledError();
  const where = safeEndpoint(ctx.endpoint);
  if (err instanceof ClientError) {
    const status = err.response.status;
    const errors = ((err.response as { errors?: GqlError[] }).errors ?? []) as GqlError[];
    const first = errors[0];
    const text = redact(first?.message ?? '', ctx.apiKey);
    const code = first?.extensions?.code;
    if (status === 401 || status === 403) {
      return new PodError(
        'unauthorized',
        `RunPod rejected the API key (HTTP ${status}): it is wrong, revoked or lacks read/write access — create one at runpod.io → Settings → API Keys`,
        { status },
      );
    }
    if (status === 429) {
      const retryAfterSec = parseRetryAfter(err.response.headers?.get?.('retry-after'));
      return new PodError('rate-limited', `RunPod is rate limiting requests${retryAfterSec !== undefined ? `; retry in ${Math.ceil(retryAfterSec)} s` : ''}`, {
        status,
        retryAfterSec,
      });
    }
    if (code === 'SUPPLY_CONSTRAINT') return new PodError('no-capacity', text || 'RunPod has no capacity for this request', { status });
    if (status === 400 || code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED' || code === 'BAD_USER_INPUT') {
      return new PodError(
        'invalid-request',
        `RunPod refused Airlock's request (${code ?? `HTTP ${status}`}${text ? `: ${text}` : ''}) — RunPod's API may have changed; update Airlock`,
        { status },
      );
    }
    if (status >= 500) return new PodError('provider', `RunPod answered HTTP ${status} at ${where}; try again in a minute`, { status });
    if (text && /not found|does not exist|no pod/i.test(text)) return new PodError('not-found', `RunPod: ${text}`, { status });
    return new PodError('provider', `RunPod: ${text || `HTTP ${status}`}`, { status });
  }
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  if (err instanceof TypeError && /fetch failed/i.test(e.message ?? '')) {
    const why = e.cause?.code ?? e.cause?.message ?? 'connection failed';
    return new PodError('network', `Cannot reach RunPod at ${where} (${why}); check the network or the endpoint`);
  }
  return new PodError('provider', `RunPod request failed: ${redact(e.message ?? String(err), ctx.apiKey)}`);
}
