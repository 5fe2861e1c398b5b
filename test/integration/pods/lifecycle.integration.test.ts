// Pod lifecycle and the ways RunPod fails, against the fake with the real clients, once per API
// (REST v2 through openapi-fetch, GraphQL through graphql-request).
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLClient } from 'graphql-request';
import { createPod } from '../../../src/core/pods/provision';
import { selectOffers } from '../../../src/core/pods/offers';
import { isPodError, PodError } from '../../../src/core/pods/errors';
import { matchesMetadata, parseMetadataPairs } from '../../../src/core/pods/metadata';
import { sshEndpoint } from '../../../src/core/pods/endpoints';
import { isGpuIdle } from '../../../src/core/pods/idle';
import { waitReady } from '../../../src/core/pods/readiness';
import { toPodError } from '../../../src/core/pods/runpod/errors';
import { runpodDocuments } from '../../../src/core/pods/runpod/documents.generated';
import { apis, createProvider, endWorld, opName, spec, startWorld, testKey, type PodsWorld } from './podsFixture';
import { createPodsProvider } from '../../../src/core/pods/providerFactory';

for (const api of apis)
  describe(`pods (${api}): lifecycle and failures against the fake RunPod`, () => {
    let w: PodsWorld;
    beforeEach(async () => {
      w = await startWorld({}, api);
    });
    afterEach(() => endWorld(w));

    async function newPod(metadata: Record<string, string> = {}) {
      const offers = selectOffers(await w.provider.offers({ gpuCount: 1 }), { gpuName: 'A5000', spot: false });
      return (await createPod(w.provider, { offers, spec: spec({ metadata }), pollIntervalMs: 20 })).pod;
    }

    test('stop → EXITED without runtime, resume → running again with SSH, terminate → gone', async () => {
      const pod = await newPod();
      const firstSsh = sshEndpoint(pod)!;
      await w.provider.stop(pod.id);
      const stopped = (await w.provider.get(pod.id))!;
      assert.deepEqual([stopped.state, stopped.providerStatus, stopped.ports, stopped.uptimeSeconds], ['stopped', 'EXITED', [], undefined]);
      assert.equal(w.fake.state.free('NVIDIA RTX A5000', 'COMMUNITY'), 8, 'a stopped pod gives its GPU back');
      await assert.rejects(w.provider.stop('nosuchpod00000'), (e: unknown) => isPodError(e, 'not-found'));
      await w.provider.resume(pod.id);
      assert.equal((await w.provider.get(pod.id))!.state, 'starting');
      const again = await waitReady(w.provider, pod.id, { intervalMs: 20 });
      assert.equal(again.state, 'running');
      assert.notDeepEqual(sshEndpoint(again), undefined);
      assert.equal(sshEndpoint(again)!.host, firstSsh.host);
      await assert.rejects(
        w.provider.resume(pod.id),
        api === 'rest'
          ? /^PodError: RunPod cannot start pod \w+ in the pod's current state \(HTTP 409: cannot start a pod in status RUNNING\) — refresh and check its status$/
          : /RunPod: Pod is already running/,
      );
      await w.provider.terminate(pod.id);
      assert.equal(await w.provider.get(pod.id), undefined);
      assert.deepEqual(await w.provider.list(), []);
      await assert.rejects(w.provider.terminate(pod.id), (e: unknown) => isPodError(e, 'not-found'));
    });

    test('metadata filter: list by k=v, pods not made by Airlock have no metadata', async () => {
      const a = await newPod({ experiment: 'gsm8k', worker: '1' });
      const b = await newPod({ experiment: 'gsm8k', worker: '2' });
      const c = await newPod({ experiment: 'mmlu' });
      w.fake.state.createPod({ gpuTypeId: 'NVIDIA L4', imageName: 'mine', name: 'hand-made', cloudType: 'SECURE' }, false);
      const pods = await w.provider.list();
      assert.equal(pods.length, 4);
      const pick = (f: string[]) =>
        pods
          .filter((p) => matchesMetadata(p.metadata, parseMetadataPairs(f)))
          .map((p) => p.id)
          .sort();
      assert.deepEqual(pick(['experiment=gsm8k']), [a.id, b.id].sort());
      assert.deepEqual(pick(['experiment=gsm8k', 'worker=2']), [b.id]);
      assert.deepEqual(pick(['experiment']), [a.id, b.id, c.id].sort());
      assert.deepEqual(
        pods.filter((p) => !p.managedByAirlock).map((p) => p.name),
        ['hand-made'],
      );
      for (const p of pods) await w.provider.terminate(p.id);
    });

    test('a bad key: a clear message, the key in no message, stack or property', async () => {
      const bad = 'rp_WRONG_KEY_shouldNeverAppear_42';
      const provider = createProvider(w.fake, api, bad);
      for (const call of [() => provider.list(), () => provider.offers({ gpuCount: 1 }), () => provider.stop('x')]) {
        const err = await call().then(
          () => assert.fail('accepted a bad key'),
          (e: unknown) => e,
        );
        assert.ok(isPodError(err, 'unauthorized'));
        assert.match(err.message, /^RunPod rejected the API key \(HTTP 401\): it is wrong, revoked or lacks read\/write access/);
        for (const text of [err.message, String(err.stack), JSON.stringify(err), JSON.stringify(err.details)]) assert.ok(!text.includes(bad));
      }
      assert.throws(
        () => createProvider(w.fake, api, ''),
        (e: unknown) => isPodError(e, 'no-api-key'),
      );
      assert.equal(w.fake.requests.at(-1)!.authorized, false);
    });

    test('429: waits out Retry-After and succeeds; a Retry-After too long fails at once', async () => {
      w.fake.control.rateLimit(1, 1);
      const offers = await w.provider.offers({ gpuCount: 1 });
      assert.ok(offers.length);
      const i = w.fake.requests.findIndex((r) => r.status === 429);
      const [limited, ok] = w.fake.requests.slice(i, i + 2);
      // Events, not a stopwatch: the fake refuses (and counts) any request inside the Retry-After window.
      assert.deepEqual([limited!.status, ok!.status], [429, 200]);
      assert.equal(w.fake.control.earlyRequests, 0, 'the client came back before Retry-After had passed');
      w.fake.control.rateLimit(1, 120);
      const before = w.fake.requests.length;
      await assert.rejects(
        w.provider.list(),
        (e: unknown) => isPodError(e, 'rate-limited') && e.details.retryAfterSec === 120 && /retry in 120 s/.test(e.message),
      );
      assert.equal(w.fake.requests.length - before, 1);
      w.fake.control.rateLimit(0);
    });

    test('the fake validates like RunPod: 400 GRAPHQL_VALIDATION_FAILED / 422 problem bodies, mapped to a message about the API', async () => {
      if (api === 'rest') return restValidation(w);
      const raw = await fetch(w.fake.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${testKey}` },
        body: JSON.stringify({ query: 'query { myself { id noSuchField } }' }),
      });
      assert.equal(raw.status, 400);
      const body = (await raw.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      assert.equal(body.errors[0]!.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
      assert.match(body.errors[0]!.message, /Cannot query field "noSuchField" on type "User"/);
      // The same through graphql-request, as the provider would see it.
      const client = new GraphQLClient(w.fake.endpoint, { headers: { Authorization: `Bearer ${testKey}` } });
      const err = await client
        .request('mutation M($input: PodStopInput!) { podStop(input: $input) { id bogus } }', { input: { podId: 'x' } })
        .catch((e: unknown) => e);
      const mapped = toPodError(err, { endpoint: w.endpoint, apiKey: testKey });
      assert.ok(isPodError(mapped, 'invalid-request'));
      assert.match(
        mapped.message,
        /^RunPod refused Airlock's request \(GRAPHQL_VALIDATION_FAILED: Cannot query field "bogus" on type "Pod"\..*\) — RunPod's API may have changed; update Airlock$/,
      );
      // A variable of the wrong type never reaches a resolver either.
      const badVar = await client.request(runpodDocuments.StopPod, { input: { podId: 5 } }).catch((e: unknown) => e);
      assert.ok(isPodError(toPodError(badVar, { endpoint: w.fake.endpoint, apiKey: testKey }), 'invalid-request'));
      const noKey = await fetch(w.fake.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"query":"{ myself { id } }"}' });
      assert.equal(noKey.status, 401);
    });

    test("RUNPOD errors carry RunPod's message, never the request variables", async () => {
      const pod = await newPod();
      const password = await w.provider.jupyterPassword(pod.id);
      w.fake.control.failNext({ field: 'podStop', code: 'RUNPOD', message: 'Something went wrong. Please try again later or contact support.' });
      await assert.rejects(w.provider.stop(pod.id), (e: unknown) =>
        api === 'rest'
          ? isPodError(e, 'invalid-request') &&
            e.message === `RunPod refused to stop pod ${pod.id} (HTTP 400: Something went wrong. Please try again later or contact support.)`
          : isPodError(e, 'provider') && e.message === 'RunPod: Something went wrong. Please try again later or contact support.',
      );
      w.fake.control.failNext({ field: 'podFindAndDeployOnDemand', code: 'RUNPOD', message: 'Invalid image' });
      const offers = selectOffers(await w.provider.offers({ gpuCount: 1 }), { gpuName: 'A5000', spot: false }).slice(0, 1);
      const err = (await createPod(w.provider, { offers, spec: spec({ jupyterPassword: 'p4ssw0rd-never-shown' }) }).then(
        () => assert.fail('created'),
        (e: unknown) => e,
      )) as PodError;
      // REST v2 answers every refused create with 400 (capacity has no code of its own), so Airlock
      // tries the next offer and reports the last refusal; GraphQL's RUNPOD code is final at once.
      assert.equal(
        err.message,
        api === 'rest' ? 'RunPod could not place RTX A5000 in COMMUNITY cloud (Invalid image) — try SECURE or another GPU' : 'RunPod: Invalid image',
      );
      assert.ok(!String(err.stack).includes('p4ssw0rd') && !String(err.stack).includes(password!));
      await w.provider.terminate(pod.id);
    });

    test('RunPod unreachable: a network error naming the endpoint', async () => {
      const closed = await startWorld();
      await closed.fake.close();
      const provider = createProvider(closed.fake, api, testKey);
      const where = api === 'rest' ? `${closed.fake.restEndpoint}/` : closed.fake.endpoint;
      await assert.rejects(
        provider.list(),
        (e: unknown) => isPodError(e, 'network') && e.message === `Cannot reach RunPod at ${where} (ECONNREFUSED); check the network or the endpoint`,
      );
    });

    test('GPU utilisation from runtime.gpus feeds idle detection; start by time instead of polls', async () => {
      w.fake.control.setLifecycle({ startAfterPolls: undefined, startAfterMs: 50 });
      const pod = await newPod();
      assert.deepEqual(pod.gpuUtilization, [0]);
      assert.equal(isGpuIdle(pod), true);
      w.fake.control.setGpuUtilization(pod.id, 87);
      const busy = (await w.provider.get(pod.id))!;
      assert.deepEqual(busy.gpuUtilization, [87]);
      assert.equal(isGpuIdle(busy), false);
      await w.provider.terminate(pod.id);
    });

    test('the control endpoint drives the same switches over HTTP (for the demo script)', async () => {
      const root = w.fake.restEndpoint;
      const post = (body: unknown) =>
        fetch(`${root}/__control`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ ok: boolean; error?: string }>);
      assert.deepEqual(await post({ action: 'setStock', gpuTypeId: 'NVIDIA L4', cloud: 'SECURE', count: 0 }), { ok: true, result: null });
      const l4 = (await w.provider.offers({ gpuCount: 1 })).filter((o) => o.gpuName === 'L4');
      assert.deepEqual(
        l4.map((o) => o.stock),
        api === 'rest' ? ['none'] : ['none', 'none'],
      );
      assert.match((await post({ action: 'explode' })).error!, /unknown control action "explode"/);
      const state = (await (await fetch(`${root}/__control`)).json()) as { pods: unknown[] };
      assert.deepEqual(state.pods, []);
    });
  });

/** REST v2: the fake checks bodies, parameters and auth against the document, as RunPod does. */
async function restValidation(w: PodsWorld): Promise<void> {
  const auth = { Authorization: `Bearer ${testKey}`, 'Content-Type': 'application/json' };
  const bogus = await fetch(`${w.fake.restEndpoint}/v2/pods`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ name: 'x', image: 'i', gpu: { id: 'NVIDIA L4', count: 1 }, bogus: true }),
  });
  assert.equal(bogus.status, 422);
  assert.equal(bogus.headers.get('content-type'), 'application/problem+json');
  const problem = (await bogus.json()) as { title: string; status: number; detail: string; errors: string[] };
  assert.deepEqual([problem.title, problem.status, problem.detail], ['Unprocessable Entity', 422, 'Request validation failed.']);
  assert.deepEqual(problem.errors, ["$: must NOT have unevaluated properties 'bogus'"]);
  const noImage = await fetch(`${w.fake.restEndpoint}/v2/pods`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ name: 'x', gpu: { id: 'NVIDIA L4' } }),
  });
  assert.equal(noImage.status, 422, 'image is required unless templateId is set');
  const badQuery = await fetch(`${w.fake.restEndpoint}/v2/catalog/gpus?include=AVAILABILITY&product=POD&count=0`, { headers: auth });
  assert.equal(badQuery.status, 400, 'count has minimum 1');
  const unknown = await fetch(`${w.fake.restEndpoint}/v2/pods?limit=5`, { headers: auth });
  assert.equal(unknown.status, 400);
  const method = await fetch(`${w.fake.restEndpoint}/v2/pods/abc/action`, { method: 'GET', headers: auth });
  assert.deepEqual([method.status, method.headers.get('allow')], [405, 'POST']);
  const noKey = await fetch(`${w.fake.restEndpoint}/v2/pods`);
  assert.deepEqual([noKey.status, ((await noKey.json()) as { detail: string }).detail], [401, 'missing bearer token']);
  // The same through the provider: a problem body becomes a message with what to do.
  const bad = createPodsProvider({ api: 'rest', apiKey: testKey, endpoint: w.fake.restEndpoint, clientVersion: '1' });
  await assert.rejects(
    bad.stop('nosuchpod'),
    (e: unknown) => isPodError(e, 'not-found') && e.message === 'RunPod has no pod nosuchpod: it was terminated, or the id is wrong (list the pods to check)',
  );
  assert.equal(w.fake.requests.filter((r) => r.operationName === opName('rest', 'stop')).at(-1)!.status, 404);
}
