// RunPod over GraphQL. GraphQL retires in early 2027 (REST v2, ../shared/fixtures/runpod/
// rest_v2_openapi.json); a RestV2 provider implements the same PodProvider next to this one.
import { PodError, isPodError } from '../errors';
import { jupyterPasswordEnvKey } from '../metadata';
import type { PodProvider, ProviderCreateRequest } from '../provider';
import type { OfferQuery, PodInfo, PodOffer } from '../types';
import { RunpodGraphqlClient, type RunpodClientOptions } from './client';
import { watchdogEnv, wrapStartCommand } from '../watchdog/install';
import { providerId, toOffers, toPodInfo } from './mapping';
import type { WireCreateInput, WireGpuType, WirePod } from './wire';

export type RunpodProviderOptions = RunpodClientOptions;

export function runpodProxyUrl(podId: string, port: number): string {
  return `https://${podId}-${port}.proxy.runpod.net`;
}

export class RunpodProvider implements PodProvider {
  readonly id = providerId;
  readonly api = 'graphql' as const;
  readonly displayName = 'RunPod';
  private readonly client: RunpodGraphqlClient;

  constructor(options: RunpodProviderOptions) {
    this.client = new RunpodGraphqlClient(options);
  }

  get endpoint(): string {
    return this.client.endpoint;
  }

  /** Proves the key works (cheapest call); returns the account's current spend rate. */
  async checkAccess(signal?: AbortSignal): Promise<{ spendPerHour?: number; sshKeys: number }> {
    const r = await this.client.request<{ myself: { currentSpendPerHr?: number | null; pubKey?: string | null } | null }>('Myself', {}, signal);
    if (!r.myself) throw new PodError('unauthorized', 'RunPod did not recognise the API key');
    // pubKey is the account's SSH public keys, one per line (RunPod's Settings → SSH Public Keys).
    const sshKeys = (r.myself.pubKey ?? '').split('\n').filter((l) => /^\s*(ssh-|ecdsa-|sk-)/.test(l)).length;
    return { spendPerHour: r.myself.currentSpendPerHr ?? undefined, sshKeys };
  }

  async offers(q: OfferQuery, signal?: AbortSignal): Promise<PodOffer[]> {
    if (!Number.isInteger(q.gpuCount) || q.gpuCount < 1) throw new PodError('bad-input', `GPU count must be a whole number ≥ 1, got ${q.gpuCount}`);
    const r = await this.client.request<{ gpuTypes: Array<WireGpuType | null> | null }>(
      'GpuOffers',
      {
        secure: { gpuCount: q.gpuCount, secureCloud: true },
        community: { gpuCount: q.gpuCount, secureCloud: false },
      },
      signal,
    );
    return toOffers(r.gpuTypes ?? [], q.gpuCount);
  }

  async create(req: ProviderCreateRequest, signal?: AbortSignal): Promise<PodInfo> {
    const { offer, spec } = req;
    const input: WireCreateInput = {
      cloudType: offer.cloud,
      gpuCount: offer.gpuCount,
      gpuTypeId: offer.gpuTypeId,
      imageName: spec.image,
      name: req.name,
      containerDiskInGb: spec.containerDiskGb ?? 50,
      volumeInGb: spec.volumeGb ?? 0,
      ...(spec.volumeGb ? { volumeMountPath: spec.volumeMountPath ?? '/workspace' } : {}),
      ports: req.ports.join(','),
      env: Object.entries({ ...req.env, ...(spec.watchdog ? watchdogEnv(spec.watchdog, req.name) : {}) }).map(([key, value]) => ({ key, value })),
      dockerArgs: spec.watchdog ? wrapStartCommand(spec.dockerArgs, spec.watchdog) : (spec.dockerArgs ?? ''),
      startJupyter: req.startJupyter,
      startSsh: true,
      supportPublicIp: true,
    };
    let pod: WirePod | null;
    try {
      if (offer.spot) {
        const bid = spec.bidPerGpu ?? offer.pricePerGpu;
        if (bid < offer.pricePerGpu)
          throw new PodError('bad-input', `a bid of $${bid}/GPU/hr is below RunPod's minimum of $${offer.pricePerGpu} for ${offer.gpuName}`);
        pod = (await this.client.request<{ podRentInterruptable: WirePod | null }>('CreateSpotPod', { input: { ...input, bidPerGpu: bid } }, signal))
          .podRentInterruptable;
      } else {
        pod = (await this.client.request<{ podFindAndDeployOnDemand: WirePod | null }>('CreateOnDemandPod', { input }, signal)).podFindAndDeployOnDemand;
      }
    } catch (err) {
      if (isPodError(err, 'no-capacity')) {
        const kind = offer.spot ? 'spot ' : '';
        const other = offer.cloud === 'SECURE' ? 'COMMUNITY' : 'SECURE';
        throw new PodError(
          'no-capacity',
          `RunPod has no ${kind}${offer.gpuCount > 1 ? `${offer.gpuCount}× ` : ''}${offer.gpuName} left in ${offer.cloud} cloud — try ${other} or another GPU`,
          err.details,
        );
      }
      throw err;
    }
    if (!pod) throw new PodError('provider', `RunPod returned no pod for ${offer.gpuName} in ${offer.cloud} cloud`);
    return toPodInfo(pod);
  }

  async get(podId: string, signal?: AbortSignal): Promise<PodInfo | undefined> {
    const pod = await this.wirePod(podId, signal);
    return pod && pod.desiredStatus !== 'TERMINATED' ? toPodInfo(pod) : undefined;
  }

  async list(signal?: AbortSignal): Promise<PodInfo[]> {
    const r = await this.client.request<{ myself: { pods: Array<WirePod | null> | null } | null }>('Pods', {}, signal);
    return (r.myself?.pods ?? []).filter((p): p is WirePod => !!p && p.desiredStatus !== 'TERMINATED').map(toPodInfo);
  }

  async stop(podId: string, signal?: AbortSignal): Promise<void> {
    const r = await this.client.request<{ podStop: { id: string } | null }>('StopPod', { input: { podId } }, signal);
    if (!r.podStop) throw new PodError('not-found', `RunPod has no pod ${podId}: it was terminated, or the id is wrong (list the pods to check)`, { podId });
  }

  async resume(podId: string, signal?: AbortSignal): Promise<void> {
    const pod = await this.wirePod(podId, signal);
    if (!pod) throw new PodError('not-found', `RunPod has no pod ${podId}: it was terminated, or the id is wrong (list the pods to check)`, { podId });
    const spot = pod.podType === 'INTERRUPTABLE' || pod.podType === 'BID';
    const r = spot
      ? (
          await this.client.request<{ podBidResume: { id: string } | null }>(
            'BidResumePod',
            {
              // A spot pod resumes with a new bid: RunPod's current minimum, else what it paid.
              input: { podId, gpuCount: pod.gpuCount, bidPerGpu: pod.lowestBidPriceToResume ?? pod.costPerHr / Math.max(1, pod.gpuCount) },
            },
            signal,
          )
        ).podBidResume
      : (await this.client.request<{ podResume: { id: string } | null }>('ResumePod', { input: { podId, gpuCount: pod.gpuCount } }, signal)).podResume;
    if (!r) throw new PodError('provider', `RunPod did not resume pod ${podId}`, { podId });
  }

  async terminate(podId: string, signal?: AbortSignal): Promise<void> {
    await this.client.request<{ podTerminate: null }>('TerminatePod', { input: { podId } }, signal);
  }

  async jupyterPassword(podId: string, signal?: AbortSignal): Promise<string | undefined> {
    const pod = await this.wirePod(podId, signal);
    const line = pod?.env?.find((e) => e?.startsWith(`${jupyterPasswordEnvKey}=`));
    return line ? line.slice(jupyterPasswordEnvKey.length + 1) : undefined;
  }

  proxyUrl(podId: string, port: number): string {
    return runpodProxyUrl(podId, port);
  }

  private async wirePod(podId: string, signal?: AbortSignal): Promise<WirePod | undefined> {
    const r = await this.client.request<{ pod: WirePod | null }>('Pod', { input: { podId } }, signal);
    return r.pod ?? undefined;
  }
}

/** The factory the editor and the CLI call. */
export function createRunpodProvider(options: RunpodProviderOptions): RunpodProvider {
  return new RunpodProvider(options);
}
