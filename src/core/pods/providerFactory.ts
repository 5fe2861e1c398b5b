// The one place that picks a RunPod API: REST v2 by default, GraphQL when asked (spot pods) — from
// the CLI's --api, the editor's airlock.pods.api, or AIRLOCK_RUNPOD_API. Both take the same API host:
// RunPod serves GraphQL at <host>/graphql and REST at <host>/v2, so one endpoint setting serves both.
import { PodError } from './errors';
import { RunpodProvider } from './runpod/runpodProvider';
import { defaultRunpodEndpoint } from './runpod/client';
import { RunpodRestProvider } from './runpodRest/restProvider';
import { defaultRunpodRestBaseUrl } from './runpodRest/client';

export type PodsApi = 'rest' | 'graphql';
export const podsApis: readonly PodsApi[] = ['rest', 'graphql'];

export interface PodsProviderOptions {
  api?: PodsApi;
  apiKey: string;
  /** The API host or a full GraphQL URL (…/graphql); default RunPod's. */
  endpoint?: string;
  clientVersion: string;
  onRetry?: (info: { waitSec: number; attempt: number }) => void;
}

export type AnyRunpodProvider = RunpodRestProvider | RunpodProvider;

export function parsePodsApi(value: string | undefined, where: string): PodsApi | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'rest' || v === 'graphql') return v;
  throw new PodError('bad-input', `${where} must be "rest" or "graphql", got "${value}"`);
}

/** `https://host/graphql` or `https://host` → the GraphQL URL and the REST base. */
export function splitEndpoint(endpoint: string | undefined): { graphql: string; rest: string } {
  if (!endpoint) return { graphql: defaultRunpodEndpoint, rest: defaultRunpodRestBaseUrl };
  const host = endpoint.replace(/\/+$/, '').replace(/\/graphql$/, '');
  return { graphql: `${host}/graphql`, rest: host };
}

export function createPodsProvider(o: PodsProviderOptions): AnyRunpodProvider {
  const { graphql, rest } = splitEndpoint(o.endpoint);
  if ((o.api ?? 'rest') === 'graphql') {
    return new RunpodProvider({ apiKey: o.apiKey, endpoint: graphql, clientVersion: o.clientVersion, onRetry: o.onRetry });
  }
  return new RunpodRestProvider({ apiKey: o.apiKey, baseUrl: rest, clientVersion: o.clientVersion, onRetry: o.onRetry });
}
