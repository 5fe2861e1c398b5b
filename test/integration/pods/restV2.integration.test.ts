// What only REST v2 has or does differently, against the REST fake with the real openapi-fetch
// client: 5xx back-off, problem bodies, live logs over SSE with drops, billing, account check.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createPod } from '../../../src/core/pods/provision';
import { selectOffers } from '../../../src/core/pods/offers';
import { isPodError } from '../../../src/core/pods/errors';
import { RunpodRestProvider } from '../../../src/core/pods/runpodRest/restProvider';
import type { PodLogLine } from '../../../src/core/pods/runpodRest/logs';
import { endWorld, spec, startWorld, testKey, type PodsWorld } from './podsFixture';

describe('pods (rest): what REST v2 adds', () => {
  let w: PodsWorld;
  let rest: RunpodRestProvider;
  beforeEach(async () => {
    w = await startWorld({}, 'rest');
    rest = new RunpodRestProvider({ apiKey: testKey, baseUrl: w.fake.restEndpoint, clientVersion: 't', backoffBaseMs: 20 });
  });
  afterEach(() => endWorld(w));

  async function newPod(o: Parameters<typeof spec>[0] = {}) {
    const offers = selectOffers(await rest.offers({ gpuCount: 1 }), { gpuName: 'A5000' });
    return (await createPod(rest, { offers, spec: spec(o), pollIntervalMs: 20 })).pod;
  }

  test('5xx: reads are retried with back-off until they succeed; a create is not retried (no second billing pod)', async () => {
    const retries: number[] = [];
    const p = new RunpodRestProvider({
      apiKey: testKey,
      baseUrl: w.fake.restEndpoint,
      clientVersion: 't',
      backoffBaseMs: 20,
      onRetry: (r) => retries.push(r.status),
    });
    w.fake.control.failHttp(503, 2);
    assert.deepEqual(await p.list(), []);
    assert.deepEqual(retries, [503, 503]);
    assert.deepEqual(
      w.fake.requests.map((r) => r.status),
      [503, 503, 200],
    );
    w.fake.control.failHttp(502, 4);
    await assert.rejects(p.list(), (e: unknown) => isPodError(e, 'provider') && /HTTP 502 .* while trying to list pods; try again in a minute/.test(e.message));
    const offers = selectOffers(await p.offers({ gpuCount: 1 }), { gpuName: 'A5000' }).slice(0, 1);
    w.fake.control.failHttp(500, 1);
    const before = w.fake.requests.filter((r) => r.operationName === 'createPod').length;
    await assert.rejects(createPod(p, { offers, spec: spec(), orphanSweepDelaysMs: [0] }), (e: unknown) => isPodError(e, 'provider'));
    assert.equal(w.fake.requests.filter((r) => r.operationName === 'createPod').length - before, 1);
  });

  test('409 and 404 problem bodies become messages that say what to do', async () => {
    const pod = await newPod();
    await rest.stop(pod.id);
    await assert.rejects(
      rest.stop(pod.id),
      (e: unknown) =>
        isPodError(e, 'invalid-request') &&
        e.message ===
          `RunPod cannot stop pod ${pod.id} in the pod's current state (HTTP 409: cannot stop a pod in status EXITED) — refresh and check its status`,
    );
    assert.equal((await rest.get(pod.id))!.costPerHour, 0, 'cost is 0.0 while EXITED (the document)');
    await rest.terminate(pod.id);
    assert.equal(await rest.get(pod.id), undefined);
    await assert.rejects(
      rest.terminate(pod.id),
      (e: unknown) => isPodError(e, 'not-found') && e.message === `RunPod has no pod ${pod.id}: it was terminated, or the id is wrong (list the pods to check)`,
    );
  });

  test('logs: backfill, then live lines; two dropped connections resume from Last-Event-ID without repeating or losing a line', async () => {
    const pod = await newPod();
    for (let i = 1; i <= 5; i++) w.fake.rest.logs.emit(pod.id, `epoch ${i}`);
    w.fake.rest.dropLogStreams(3, 2);
    const got: PodLogLine[] = [];
    const reconnects: Array<string | undefined> = [];
    const ac = new AbortController();
    const done = rest.streamLogs(pod.id, {
      follow: true,
      signal: ac.signal,
      reconnectDelayMs: 10,
      onReconnect: (r) => reconnects.push(r.lastEventId),
      onLine: (l) => {
        got.push(l);
        if (l.line === 'epoch 5') for (let i = 6; i <= 8; i++) w.fake.rest.logs.emit(pod.id, `epoch ${i}`);
        if (l.line === 'epoch 8') ac.abort();
      },
    });
    await done;
    const expected = w.fake.rest.logs.all(pod.id).map((l) => l.line);
    assert.deepEqual(
      got.map((l) => l.line),
      expected,
      'every line once, in order',
    );
    assert.ok(expected.includes('Pulling image runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04'));
    assert.equal(reconnects.length, 2);
    const resumed = w.fake.requests.filter((r) => r.operationName === 'getPodLogs').map((r) => r.lastEventId);
    assert.deepEqual(resumed, [undefined, ...reconnects], 'each reconnect sent the last id it had');
    assert.deepEqual(new Set(got.map((l) => l.source)), new Set(['system', 'container']));
    // Without follow: the backfill only, then it returns.
    const tail: string[] = [];
    await rest.streamLogs(pod.id, { tail: 2, idleMs: 200, onLine: (l) => tail.push(l.line) });
    assert.deepEqual(tail, ['epoch 7', 'epoch 8']);
    await rest.terminate(pod.id);
  });

  test('a failing image: its pull error is in the logs at once and the pod is terminated', async () => {
    const image = 'ghcr.io/nobody/does-not-exist:1';
    w.fake.rest.failImage(image);
    const offers = selectOffers(await rest.offers({ gpuCount: 1 }), { gpuName: 'A5000' });
    await assert.rejects(
      createPod(rest, { offers, spec: spec({ image }), pollIntervalMs: 20 }),
      (e: unknown) => isPodError(e) && /failed while starting \(status ERROR\)/.test(e.message) && /was terminated/.test(e.message),
    );
    const created = w.fake.requests.find((r) => r.operationName === 'createPod' && r.status === 201);
    assert.ok(created);
  });

  test('billing: spend since midnight from GET /v2/billing/pods; account check counts SSH keys', async () => {
    w.fake.rest.billed.set('oldpod0000', 1.25);
    const pod = await newPod();
    const spend = await rest.spendSince();
    assert.ok(spend.total >= 1.25 && spend.total < 1.3, `total ${spend.total}`);
    assert.equal(spend.byPod.get('oldpod0000'), 1.25);
    assert.ok(spend.byPod.has(pod.id));
    const q = w.fake.requests.find((r) => r.operationName === 'listPodBilling')!.query!;
    assert.equal(q.startTime, new Date().toISOString().slice(0, 10) + 'T00:00:00.000Z');
    assert.deepEqual(await rest.checkAccess(), { sshKeys: 1 });
    await rest.terminate(pod.id);
  });

  test('pods tagged the GraphQL way read the same on REST: metadata and the Airlock marker live in env', async () => {
    const gql = (await import('../../../src/core/pods/providerFactory')).createPodsProvider({
      api: 'graphql',
      apiKey: testKey,
      endpoint: w.fake.endpoint,
      clientVersion: 't',
    });
    const offers = selectOffers(await gql.offers({ gpuCount: 1 }), { gpuName: 'A5000', spot: false });
    const made = (await createPod(gql, { offers, spec: spec({ metadata: { experiment: 'gsm8k' } }), pollIntervalMs: 20 })).pod;
    const seen = (await rest.list()).find((p) => p.id === made.id)!;
    assert.deepEqual([seen.managedByAirlock, seen.metadata, seen.createId, seen.gpuName], [true, { experiment: 'gsm8k' }, made.createId, 'RTX A5000']);
    assert.equal(await rest.jupyterPassword(made.id), await gql.jupyterPassword(made.id));
    await rest.terminate(made.id);
  });
});
