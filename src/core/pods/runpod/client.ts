import { GraphQLClient } from 'graphql-request';
import { sleep } from '../../process/errors';
import { PodError, isPodError } from '../errors';
import { runpodDocuments, type RunpodOperation } from './documents.generated';
import { toPodError } from './errors';

export const defaultRunpodEndpoint = 'https://api.runpod.io/graphql';

export interface RunpodClientOptions {
  apiKey: string;
  /** Default https://api.runpod.io/graphql; the fake or a proxy otherwise. */
  endpoint?: string;
  /** Sent as `airlock/<version>` so RunPod can tell Airlock's traffic apart. */
  clientVersion: string;
  /** How often to retry a 429 (default 3). */
  maxRetries?: number;
  /** Longest Retry-After worth waiting for; longer ones fail at once (default 60 s). */
  maxRetryWaitSec?: number;
  /** Told about every wait, so the UI can say why nothing happens. */
  onRetry?: (info: { operation: string; waitSec: number; attempt: number }) => void;
}

/** graphql-request with RunPod's auth, an explicit User-Agent, 429 back-off and safe errors. */
export class RunpodGraphqlClient {
  readonly endpoint: string;
  private readonly client: GraphQLClient;

  constructor(private readonly o: RunpodClientOptions) {
    if (!o.apiKey) throw new PodError('no-api-key', 'No RunPod API key is set');
    this.endpoint = o.endpoint ?? defaultRunpodEndpoint;
    this.client = new GraphQLClient(this.endpoint, {
      // Bearer header, never the legacy ?api_key= query parameter: URLs end up in logs.
      headers: { Authorization: `Bearer ${o.apiKey}`, 'User-Agent': `airlock/${o.clientVersion}` },
    });
  }

  async request<T>(operation: RunpodOperation, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
    const maxRetries = this.o.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.client.request<T>({ document: runpodDocuments[operation], variables, signal });
      } catch (raw) {
        const err = toPodError(raw, { endpoint: this.endpoint, apiKey: this.o.apiKey });
        // A 429 means RunPod did not process the request, so even a create is safe to resend.
        if (!isPodError(err, 'rate-limited') || attempt >= maxRetries) throw err;
        const waitSec = err.details.retryAfterSec ?? 2 ** attempt;
        if (waitSec > (this.o.maxRetryWaitSec ?? 60)) throw err;
        this.o.onRetry?.({ operation, waitSec, attempt: attempt + 1 });
        await sleep(waitSec * 1000, signal);
      }
    }
  }
}
