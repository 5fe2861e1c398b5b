// Shared set-up for the pod tests: a fresh fake RunPod per test and the real provider
// (graphql-request) pointed at it. Every test ends by asserting the fake has no pod left.
import assert from 'node:assert/strict';
import { startFakeRunpod, type FakeRunpod, type FakeRunpodOptions } from '../../support/fakeRunpod/server';
import { createRunpodProvider, type RunpodProvider } from '../../../src/core/pods/runpod/runpodProvider';
import type { PodSpec } from '../../../src/core/pods/types';

export const testKey = 'rp_TESTKEY_0123456789abcdef';

export interface PodsWorld {
  fake: FakeRunpod;
  provider: RunpodProvider;
}

export async function startWorld(o: FakeRunpodOptions = {}): Promise<PodsWorld> {
  const fake = await startFakeRunpod({ apiKey: testKey, ...o });
  const provider = createRunpodProvider({ apiKey: testKey, endpoint: fake.endpoint, clientVersion: '9.9.9-test' });
  return { fake, provider };
}

/** The acceptance rule: no test leaves a pod alive on the fake. */
export async function endWorld(w: PodsWorld | undefined): Promise<void> {
  if (!w) return;
  try {
    assert.deepEqual(w.fake.control.livePods(), [], 'a pod was left alive on the fake');
  } finally {
    await w.fake.close();
  }
}

export const spec = (o: Partial<PodSpec> = {}): PodSpec => ({ image: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04', name: 'test', ...o });
