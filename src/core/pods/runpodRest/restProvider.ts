// RunPod over REST API v2 (the default; GraphQL retires in early 2027). What v2 lacks — interruptible
// (spot) pods — is refused here with a message naming `--api graphql` / `airlock.pods.api`.
import { PodError, isPodError } from '../errors';
import { jupyterPasswordEnvKey } from '../metadata';
import type { PodProvider, ProviderCreateRequest } from '../provider';
import type { CloudKind, OfferQuery, PodInfo, PodOffer, WatchdogSpec } from '../types';
import { watchdogEnv, wrapStartCommand } from '../watchdog/install';
import { runpodProxyUrl } from '../runpod/runpodProvider';
import { RunpodRestClient, type RunpodRestClientOptions } from './client';
import { streamPodLogs, type StreamPodLogsOptions } from './logs';
import { providerId, toOffers, toPodInfo } from './mapping';
import type { RestCreatePodRequest, RestGpuType, RestPod, RestPodAction } from './types';

export type RunpodRestProviderOptions = RunpodRestClientOptions;

export const spotNeedsGraphql = 'RunPod REST v2 has no interruptible (spot) pods; use GraphQL for them: --api graphql (CLI) or the airlock.pods.api setting';

export class RunpodRestProvider implements PodProvider {
  readonly id = providerId;
  readonly displayName = 'RunPod';
  readonly api = 'rest' as const;
  readonly client: RunpodRestClient;
  private readonly gpuNames = new Map<string, string>();

  constructor(options: RunpodRestProviderOptions) {
    this.client = new RunpodRestClient(options);
  }

  get endpoint(): string {
    return this.client.baseUrl;
  }

  /** Proves the key works and says whether SSH keys are registered (startSsh needs them). */
  async checkAccess(signal?: AbortSignal): Promise<{ sshKeys: number; spendPerHour?: number }> {
    const { data } = await this.client.call('read the account', true, () => this.client.api.GET('/v2/account/ssh-keys', { signal }), signal);
    return { sshKeys: data?.keys.length ?? 0 };
  }

  async offers(q: OfferQuery, signal?: AbortSignal): Promise<PodOffer[]> {
    if (!Number.isInteger(q.gpuCount) || q.gpuCount < 1) throw new PodError('bad-input', `GPU count must be a whole number ≥ 1, got ${q.gpuCount}`);
    const out: PodOffer[] = [];
    // Stock is per cloud: one catalog read per cloud, as the document's availability rules require.
    for (const cloud of ['SECURE', 'COMMUNITY'] as CloudKind[]) {
      const gpus = await this.catalog(cloud, q.gpuCount, signal);
      out.push(...toOffers(gpus, cloud, q.gpuCount));
    }
    return out;
  }

  async create(req: ProviderCreateRequest, signal?: AbortSignal): Promise<PodInfo> {
    const { offer, spec } = req;
    if (offer.spot) throw new PodError('bad-input', spotNeedsGraphql);
    const body: RestCreatePodRequest = {
      name: req.name,
      image: spec.image,
      cloud: offer.cloud,
      gpu: { id: offer.gpuTypeId, count: offer.gpuCount },
      disk: spec.containerDiskGb ?? 50,
      ports: req.ports,
      env: { ...req.env, ...(spec.watchdog ? watchdogEnv(spec.watchdog, req.name) : {}) },
      startJupyter: req.startJupyter,
      startSsh: true,
      ...(spec.volumeGb ? { mounts: { persistent: { size: Math.max(10, spec.volumeGb), path: spec.volumeMountPath ?? '/workspace' } } } : {}),
      ...startArgs(spec.dockerArgs, spec.watchdog),
    };
    try {
      const { data } = await this.client.call(`create a ${offer.gpuName} pod`, false, () => this.client.api.POST('/v2/pods', { body, signal }), signal);
      if (!data) throw new PodError('provider', `RunPod returned no pod for ${offer.gpuName} in ${offer.cloud} cloud`);
      this.gpuNames.set(offer.gpuTypeId, offer.gpuName);
      return toPodInfo(data, this.gpuNames);
    } catch (err) {
      // The document: a 400 on create is either a rule violation or "could not be placed" (no
      // machine-readable code for capacity), and 403 means this pool is closed to the account —
      // both say "try the next candidate". provision.ts reports the last refusal if all fail.
      if (isPodError(err) && (err.details.status === 400 || err.details.status === 403)) {
        const other = offer.cloud === 'SECURE' ? 'COMMUNITY' : 'SECURE';
        const detail = err.message.replace(/^RunPod refused to [^(]*\(HTTP \d+:?\s*/, '').replace(/\)$/, '');
        throw new PodError(
          'no-capacity',
          `RunPod could not place ${offer.gpuCount > 1 ? `${offer.gpuCount}× ` : ''}${offer.gpuName} in ${offer.cloud} cloud${detail && !/^HTTP/.test(detail) ? ` (${detail})` : ''} — try ${other} or another GPU`,
          err.details,
        );
      }
      throw err;
    }
  }

  async get(podId: string, signal?: AbortSignal): Promise<PodInfo | undefined> {
    try {
      const { data } = await this.client.call(
        `read pod ${podId}`,
        true,
        () => this.client.api.GET('/v2/pods/{id}', { params: { path: { id: podId } }, signal }),
        signal,
      );
      if (!data || data.status === 'TERMINATED') return undefined;
      return toPodInfo(data, await this.names(data, signal));
    } catch (err) {
      if (isPodError(err, 'not-found')) return undefined;
      throw err;
    }
  }

  async list(signal?: AbortSignal): Promise<PodInfo[]> {
    const { data } = await this.client.call('list pods', true, () => this.client.api.GET('/v2/pods', { signal }), signal);
    const pods = (data?.pods ?? []).filter((p) => p.status !== 'TERMINATED');
    const names = pods.length ? await this.names(pods[0]!, signal) : this.gpuNames;
    return pods.map((p) => toPodInfo(p, names));
  }

  stop(podId: string, signal?: AbortSignal): Promise<void> {
    return this.action(podId, 'stop', signal);
  }

  resume(podId: string, signal?: AbortSignal): Promise<void> {
    return this.action(podId, 'start', signal);
  }

  async terminate(podId: string, signal?: AbortSignal): Promise<void> {
    await this.notFoundAsPodError(podId, () =>
      this.client.call(`terminate pod ${podId}`, true, () => this.client.api.DELETE('/v2/pods/{id}', { params: { path: { id: podId } }, signal }), signal),
    );
  }

  async jupyterPassword(podId: string, signal?: AbortSignal): Promise<string | undefined> {
    const { data } = await this.client.call(
      `read pod ${podId}`,
      true,
      () => this.client.api.GET('/v2/pods/{id}', { params: { path: { id: podId } }, signal }),
      signal,
    );
    return data?.env?.[jupyterPasswordEnvKey];
  }

  proxyUrl(podId: string, port: number): string {
    return runpodProxyUrl(podId, port);
  }

  /** Container and system logs, live (see logs.ts). */
  streamLogs(podId: string, o: StreamPodLogsOptions): Promise<void> {
    return streamPodLogs(this.client, podId, o);
  }

  /** What pods cost since `since` (default: midnight UTC today), from GET /v2/billing/pods. */
  async spendSince(since?: Date, signal?: AbortSignal): Promise<{ total: number; byPod: Map<string, number> }> {
    const start = since ?? new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
    const { data } = await this.client.call(
      'read pod billing',
      true,
      () => this.client.api.GET('/v2/billing/pods', { params: { query: { startTime: start.toISOString(), bucketSize: 'day' } }, signal }),
      signal,
    );
    const byPod = new Map<string, number>();
    for (const r of data?.records ?? []) byPod.set(r.podId, (byPod.get(r.podId) ?? 0) + r.totalAmount);
    return { total: data?.metadata.totals.totalAmount ?? 0, byPod };
  }

  private async action(podId: string, action: RestPodAction, signal?: AbortSignal): Promise<void> {
    await this.notFoundAsPodError(podId, () =>
      this.client.call(
        `${action} pod ${podId}`,
        true,
        () => this.client.api.POST('/v2/pods/{id}/action', { params: { path: { id: podId } }, body: { action }, signal }),
        signal,
      ),
    );
  }

  private async notFoundAsPodError<T>(podId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isPodError(err, 'not-found'))
        throw new PodError('not-found', `RunPod has no pod ${podId}: it was terminated, or the id is wrong (list the pods to check)`, {
          ...err.details,
          podId,
        });
      throw err;
    }
  }

  private async catalog(cloud: CloudKind, count: number, signal?: AbortSignal): Promise<RestGpuType[]> {
    const { data } = await this.client.call(
      'read the GPU catalog',
      true,
      () =>
        this.client.api.GET('/v2/catalog/gpus', {
          params: { query: { include: ['AVAILABILITY'], product: ['POD'], count, cloud } },
          querySerializer: { array: { style: 'form', explode: false } },
          signal,
        }),
      signal,
    );
    const gpus = data?.gpus ?? [];
    for (const g of gpus) this.gpuNames.set(g.id, g.name);
    return gpus;
  }

  /** Display names for GPU ids; the catalog is read once per provider when a name is unknown. */
  private async names(sample: RestPod, signal?: AbortSignal): Promise<Map<string, string>> {
    if (sample.gpu && !this.gpuNames.has(sample.gpu.id)) {
      const { data } = await this.client.call('read the GPU catalog', true, () => this.client.api.GET('/v2/catalog/gpus', { signal }), signal);
      for (const g of data?.gpus ?? []) this.gpuNames.set(g.id, g.name);
    }
    return this.gpuNames;
  }
}

function startArgs(dockerArgs: string | undefined, watchdog: WatchdogSpec | undefined): Pick<RestCreatePodRequest, 'args'> {
  const args = watchdog ? wrapStartCommand(dockerArgs, watchdog) : dockerArgs;
  return args ? { args } : {};
}

export function createRunpodRestProvider(options: RunpodRestProviderOptions): RunpodRestProvider {
  return new RunpodRestProvider(options);
}
