// Shared set-up for the pod tests: a fresh fake RunPod per test (GraphQL and REST v2 on one server,
// one state) and the real provider for the API under test pointed at it — graphql-request for
// GraphQL, openapi-fetch for REST. Every test ends by asserting the fake has no pod left and that
// the REST fake never answered outside its contract.
import assert from 'node:assert/strict';
import { startFakeRunpod, type FakeRunpod, type FakeRunpodOptions } from '../../support/fakeRunpod/server';
import { createPodsProvider, type AnyRunpodProvider, type PodsApi } from '../../../src/core/pods/providerFactory';
import type { PodSpec } from '../../../src/core/pods/types';

export const testKey = 'rp_TESTKEY_0123456789abcdef';
export const apis: readonly PodsApi[] = ['rest', 'graphql'];

export interface PodsWorld {
  api: PodsApi;
  fake: FakeRunpod;
  provider: AnyRunpodProvider;
  /** The endpoint the provider under test talks to. */
  endpoint: string;
}

export async function startWorld(o: FakeRunpodOptions = {}, api: PodsApi = 'rest'): Promise<PodsWorld> {
  const fake = await startFakeRunpod({ apiKey: testKey, ...o });
  const provider = createProvider(fake, api, testKey);
  return { api, fake, provider, endpoint: api === 'rest' ? fake.restEndpoint : fake.endpoint };
}

export function createProvider(fake: FakeRunpod, api: PodsApi, apiKey: string): AnyRunpodProvider {
  return createPodsProvider({ api, apiKey, endpoint: api === 'rest' ? fake.restEndpoint : fake.endpoint, clientVersion: '9.9.9-test' });
}

/** The acceptance rule: no test leaves a pod alive on the fake. */
export async function endWorld(w: PodsWorld | undefined): Promise<void> {
  if (!w) return;
  try {
    assert.deepEqual(w.fake.rest.violations, [], 'the REST fake answered outside rest_v2_openapi.json');
    assert.deepEqual(w.fake.control.livePods(), [], 'a pod was left alive on the fake');
  } finally {
    await w.fake.close();
  }
}

/** The name an operation has in the fake's request log, per API. */
export function opName(api: PodsApi, op: 'offers' | 'create' | 'get' | 'list' | 'stop' | 'resume' | 'terminate'): string {
  const rest = { offers: 'listGpuTypes', create: 'createPod', get: 'getPod', list: 'listPods', stop: 'podAction', resume: 'podAction', terminate: 'deletePod' };
  const graphql = {
    offers: 'GpuOffers',
    create: 'CreateOnDemandPod',
    get: 'Pod',
    list: 'Pods',
    stop: 'StopPod',
    resume: 'ResumePod',
    terminate: 'TerminatePod',
  };
  return (api === 'rest' ? rest : graphql)[op];
}

export const spec = (o: Partial<PodSpec> = {}): PodSpec => ({ image: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04', name: 'test', ...o });
