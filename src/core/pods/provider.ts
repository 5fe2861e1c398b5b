import type { OfferQuery, PodInfo, PodOffer, PodSpec } from './types';
import type { StreamPodLogsOptions } from './runpodRest/logs';

/** One create attempt on one offer, already encoded by provision.ts (final name and env). */
export interface ProviderCreateRequest {
  offer: PodOffer;
  spec: PodSpec;
  /** The name to give the pod (prefix included). */
  name: string;
  /** Final environment: user env, Jupyter password, Airlock marker and metadata. */
  env: Record<string, string>;
  /** Ports as `8888/http`. */
  ports: string[];
  startJupyter: boolean;
  /** Random id also stored in `env`, so a pod whose create response never arrived can be found. */
  createId: string;
}

/**
 * A GPU cloud. RunPod's REST API v2 implements it (runpodRest/restProvider.ts, the default) and so
 * does its GraphQL API (runpod/runpodProvider.ts, for what v2 lacks: spot pods). Every method throws PodError with a user-facing
 * message and CancelledError when `signal` aborts.
 */
export interface PodProvider {
  /** Short id for messages and PodInfo.provider, e.g. `runpod`. */
  readonly id: string;
  readonly displayName: string;
  /** Every offer for `gpuCount` GPUs, both clouds, on-demand and spot, unfiltered and unsorted. */
  offers(query: OfferQuery, signal?: AbortSignal): Promise<PodOffer[]>;
  /** Rents one pod; PodError code `no-capacity` when the offer is gone (try the next one). */
  create(request: ProviderCreateRequest, signal?: AbortSignal): Promise<PodInfo>;
  /** undefined when no such pod exists (terminated pods vanish). */
  get(podId: string, signal?: AbortSignal): Promise<PodInfo | undefined>;
  list(signal?: AbortSignal): Promise<PodInfo[]>;
  stop(podId: string, signal?: AbortSignal): Promise<void>;
  resume(podId: string, signal?: AbortSignal): Promise<void>;
  /** PodError code `not-found` when the pod does not exist. */
  terminate(podId: string, signal?: AbortSignal): Promise<void>;
  /** The Jupyter password stored on the pod (for pods created elsewhere, e.g. by the CLI). */
  jupyterPassword(podId: string, signal?: AbortSignal): Promise<string | undefined>;
  /** The provider's HTTPS proxy URL for an http port, when it has one. */
  proxyUrl(podId: string, port: number): string | undefined;
  /** Proves the key works; `sshKeys` is how many SSH public keys the account has registered. */
  checkAccess?(signal?: AbortSignal): Promise<{ sshKeys: number; spendPerHour?: number }>;
  /** Live container/system logs; absent when the API has none (GraphQL). */
  streamLogs?(podId: string, o: StreamPodLogsOptions): Promise<void>;
  /** Billed spend since a time (default midnight UTC), when the API reports it (REST v2 billing). */
  spendSince?(since?: Date, signal?: AbortSignal): Promise<{ total: number; byPod: Map<string, number> }>;
}
