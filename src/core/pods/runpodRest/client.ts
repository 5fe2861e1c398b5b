// RunPod REST v2 over openapi-fetch, typed by openapi.generated.d.ts (never hand-copied shapes).
// One `call()` wraps every request: Bearer key, User-Agent, 429 → wait Retry-After, 5xx → back off
// and retry (idempotent calls only), and problem bodies → PodError with what to do.
import createClient, { type Client } from 'openapi-fetch';
import { sleep } from '../../process/errors';
import { PodError, isPodError } from '../errors';
import { restStatusError, restTransportError } from './errors';
import type { RestPaths, RestProblem } from './types';

export const defaultRunpodRestBaseUrl = 'https://api.runpod.io';

export interface RunpodRestClientOptions {
  apiKey: string;
  /** API host, default https://api.runpod.io (paths start with /v2). */
  baseUrl?: string;
  clientVersion: string;
  /** 429 retries (default 3). */
  maxRetries?: number;
  /** Longest Retry-After worth waiting for; longer ones fail at once (default 60 s). */
  maxRetryWaitSec?: number;
  /** 5xx retries of idempotent calls (default 3) and the first back-off (default 1 s, doubling). */
  max5xxRetries?: number;
  backoffBaseMs?: number;
  onRetry?: (info: { doing: string; waitSec: number; attempt: number; status: number }) => void;
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export class RunpodRestClient {
  readonly baseUrl: string;
  readonly api: Client<RestPaths>;

  constructor(private readonly o: RunpodRestClientOptions) {
    if (!o.apiKey) throw new PodError('no-api-key', 'No RunPod API key is set');
    this.baseUrl = (o.baseUrl ?? defaultRunpodRestBaseUrl).replace(/\/+$/, '');
    // Bearer header only: URLs end up in logs, headers do not.
    this.api = createClient<RestPaths>({ baseUrl: this.baseUrl, headers: { Authorization: `Bearer ${o.apiKey}`, 'User-Agent': `airlock/${o.clientVersion}` } });
  }

  /** The headers the SSE log stream needs (it bypasses openapi-fetch, which buffers bodies). */
  authHeaders(): Record<string, string> {
    return { Authorization: `Bearer ${this.o.apiKey}`, 'User-Agent': `airlock/${this.o.clientVersion}` };
  }

  /**
   * Runs one request with the retry rules of the document. `idempotent: false` (create) never
   * retries a 5xx: RunPod may have placed the pod before failing, and provision.ts sweeps for it
   * by its create id instead of risking a second billing pod.
   */
  async call<T>(
    doing: string,
    idempotent: boolean,
    send: () => Promise<FetchResult<T>>,
    signal?: AbortSignal,
  ): Promise<{ data: T | undefined; response: Response }> {
    const ctx = { baseUrl: this.baseUrl, apiKey: this.o.apiKey, doing };
    let rateRetries = 0;
    let serverRetries = 0;
    for (;;) {
      let r: FetchResult<T>;
      try {
        r = await send();
      } catch (err) {
        throw restTransportError(err, ctx);
      }
      if (r.response.ok) return { data: r.data, response: r.response };
      const err = restStatusError(r.response.status, r.error as Partial<RestProblem> | undefined, r.response.headers, ctx);
      let waitSec: number | undefined;
      if (isPodError(err, 'rate-limited') && rateRetries < (this.o.maxRetries ?? 3)) {
        // A 429 means RunPod did not process the request, so even a create is safe to resend.
        waitSec = err.details.retryAfterSec ?? 2 ** rateRetries;
        if (waitSec > (this.o.maxRetryWaitSec ?? 60)) throw err;
        rateRetries++;
      } else if (r.response.status >= 500 && idempotent && serverRetries < (this.o.max5xxRetries ?? 3)) {
        waitSec = ((this.o.backoffBaseMs ?? 1000) * 2 ** serverRetries) / 1000;
        serverRetries++;
      }
      if (waitSec === undefined) throw err;
      this.o.onRetry?.({ doing, waitSec, attempt: rateRetries + serverRetries, status: r.response.status });
      await sleep(waitSec * 1000, signal);
    }
  }
}
