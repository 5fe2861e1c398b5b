// REST v2 failures → PodError. The document defines every error as an RFC 9457 problem body
// (`title`, `status`, `detail`, optional `errors[]`); each status gets a message that says what to do.
import { CancelledError, isCancelled } from '../../process/errors';
import { PodError } from '../errors';
import { parseRetryAfter, redact, safeEndpoint } from '../runpod/errors';
import type { RestProblem } from './types';

export interface RestErrorContext {
  baseUrl: string;
  apiKey: string;
  /** What Airlock was doing, for the message: "create a pod", "stop pod abc". */
  doing: string;
}

/** The problem body's own words, key redacted; `errors[]` (422) joined after the detail. */
export function problemText(problem: Partial<RestProblem> | undefined, apiKey: string): string {
  if (!problem || typeof problem !== 'object') return '';
  const parts = [problem.detail ?? problem.title ?? ''];
  if (Array.isArray(problem.errors) && problem.errors.length) parts.push(problem.errors.slice(0, 5).join('; '));
  return redact(parts.filter(Boolean).join(': '), apiKey);
}

export function restStatusError(status: number, problem: Partial<RestProblem> | undefined, headers: Headers, ctx: RestErrorContext): PodError {
  const text = problemText(problem, ctx.apiKey);
  const why = text ? `: ${text}` : '';
  switch (status) {
    case 401:
      return new PodError(
        'unauthorized',
        `RunPod rejected the API key (HTTP 401): it is wrong, revoked or lacks read/write access — create one at runpod.io → Settings → API Keys`,
        { status },
      );
    case 402:
      return new PodError('provider', `RunPod refused to ${ctx.doing}: the account balance is too low (HTTP 402) — add credit at runpod.io → Billing`, {
        status,
      });
    case 403:
      return new PodError(
        'unauthorized',
        `RunPod's API key may not ${ctx.doing} (HTTP 403${why}) — give the key read/write access at runpod.io → Settings → API Keys`,
        { status },
      );
    case 404:
      return new PodError('not-found', `RunPod has no such resource (${ctx.doing}${why})`, { status });
    case 409:
      return new PodError('invalid-request', `RunPod cannot ${ctx.doing} in the pod's current state (HTTP 409${why}) — refresh and check its status`, {
        status,
      });
    case 422:
      return new PodError(
        'invalid-request',
        `RunPod refused Airlock's request to ${ctx.doing} (HTTP 422${why}) — RunPod's API may have changed; update Airlock`,
        { status },
      );
    case 429: {
      const retryAfterSec = parseRetryAfter(headers.get('retry-after'));
      return new PodError('rate-limited', `RunPod is rate limiting requests${retryAfterSec !== undefined ? `; retry in ${Math.ceil(retryAfterSec)} s` : ''}`, {
        status,
        retryAfterSec,
      });
    }
    case 400:
      return new PodError('invalid-request', `RunPod refused to ${ctx.doing} (HTTP 400${why})`, { status });
    default:
      if (status >= 500)
        return new PodError('provider', `RunPod answered HTTP ${status} at ${safeEndpoint(ctx.baseUrl)} while trying to ${ctx.doing}; try again in a minute`, {
          status,
        });
      return new PodError('provider', `RunPod: ${text || `HTTP ${status}`} (${ctx.doing})`, { status });
  }
}

/** A thrown fetch failure (no HTTP answer at all). */
export function restTransportError(err: unknown, ctx: RestErrorContext): PodError | CancelledError {
  if (err instanceof PodError || err instanceof CancelledError) return err;
  if (isCancelled(err)) return new CancelledError();
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  if (err instanceof TypeError && /fetch failed|terminated|socket/i.test(e.message ?? '')) {
    const why = e.cause?.code ?? e.cause?.message ?? 'connection failed';
    return new PodError('network', `Cannot reach RunPod at ${safeEndpoint(ctx.baseUrl)} (${why}); check the network or the endpoint`);
  }
  return new PodError('provider', `RunPod request failed: ${redact(e.message ?? String(err), ctx.apiKey)}`);
}
