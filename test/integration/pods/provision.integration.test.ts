// Creating pods against the fake RunPod with the real clients (openapi-fetch for REST v2,
// graphql-request for GraphQL), every test once per API: capacity fallback, readiness, and the
// guarantee that a failed or cancelled create leaves no pod billing.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createPod, type CreateProgress } from '../../../src/core/pods/provision';
import { selectOffers } from '../../../src/core/pods/offers';
import { parseOfferFilter } from '../../../src/core/pods/offerFilter';
import { isPodError } from '../../../src/core/pods/errors';
import { isCancelled } from '../../../src/core/process/errors';
import { sshEndpoint } from '../../../src/core/pods/endpoints';
import { apis, endWorld, opName, spec, startWorld, type PodsWorld } from './podsFixture';

const fast = { pollIntervalMs: 20, orphanSweepDelaysMs: [0, 100] };

for (const api of apis)
  describe(`pods (${api}): create against the fake RunPod`, () => {
    let w: PodsWorld;
    beforeEach(async () => {
      w = await startWorld({}, api);
    });
    afterEach(() => endWorld(w));

    async function offers(filter: string, gpuCount = 1) {
      return selectOffers(await w.provider.offers({ gpuCount }), { clauses: parseOfferFilter(filter) });
    }

    test('offers: cheapest first, both clouds, explicit User-Agent and Bearer key', async () => {
      const all = await w.provider.offers({ gpuCount: 2 });
      const sorted = selectOffers(all);
      assert.equal(sorted.length, api === 'rest' ? 13 : 25, 'every type × cloud it is offered in (GraphQL adds the spot offers)');
      assert.deepEqual(
        sorted.map((o) => o.pricePerHour),
        [...sorted.map((o) => o.pricePerHour)].sort((a, b) => a - b),
      );
      const l4 = all.filter((o) => o.gpuName === 'L4');
      // REST v2 has no spot pods: its catalog quotes on-demand prices only.
      assert.deepEqual(
        l4.map((o) => `${o.cloud}:${o.spot}:${o.pricePerHour}`),
        api === 'rest' ? ['SECURE:false:0.86'] : ['SECURE:false:0.86', 'SECURE:true:0.52'],
        'L4 is secure-only, prices × 2 GPUs',
      );
      const picked = await offers('vram>=24 & price<0.5 & name~4090');
      assert.deepEqual(
        picked.map((o) => `${o.cloud}:${o.spot}`),
        api === 'rest' ? ['COMMUNITY:false'] : ['COMMUNITY:true', 'COMMUNITY:false'],
      );
      assert.equal(w.fake.requests[0]!.userAgent, 'airlock/9.9.9-test');
      assert.equal(w.fake.requests[0]!.operationName, opName(api, 'offers'));
      if (api === 'rest')
        assert.deepEqual(
          w.fake.requests[0]!.query,
          { include: 'AVAILABILITY', product: 'POD', count: '2', cloud: 'SECURE' },
          'live availability, per cloud, for the GPU count',
        );
      assert.ok(w.fake.requests.every((r) => r.authorized));
    });

    test('on-demand create with Jupyter and metadata becomes ready; the password is returned and stored on the pod', async () => {
      const events: CreateProgress['kind'][] = [];
      const r = await createPod(w.provider, {
        offers: await offers('name~4090 & spot=false'),
        spec: spec({
          name: 'exp1',
          metadata: { experiment: 'gsm8k', owner: 'neel' },
          env: { HF_HOME: '/workspace/hf' },
          dockerArgs: 'sleep infinity',
          volumeGb: 20,
        }),
        ...fast,
        onProgress: (p) => events.push(p.kind),
      });
      try {
        assert.deepEqual([...new Set(events)], ['trying-offer', 'created', 'waiting', 'ready']);
        assert.equal(r.pod.state, 'running');
        assert.equal(r.pod.name, 'airlock-exp1');
        assert.deepEqual(r.pod.metadata, { experiment: 'gsm8k', owner: 'neel' });
        assert.equal(r.pod.managedByAirlock, true);
        assert.ok(sshEndpoint(r.pod), 'public 22/tcp mapping');
        assert.match(r.jupyterPassword!, /^[A-Za-z0-9_-]{24}$/);
        assert.equal(await w.provider.jupyterPassword(r.pod.id), r.jupyterPassword);
        assert.ok(!JSON.stringify(r.pod).includes(r.jupyterPassword!), 'PodInfo never carries the password');
        const made = w.fake.requests.find((x) => x.operationName === opName(api, 'create'))!;
        let env: Record<string, string>;
        if (api === 'rest') {
          const sent = made.body as Record<string, unknown>;
          assert.equal(sent.startJupyter, true);
          assert.equal(sent.startSsh, true);
          assert.deepEqual(sent.ports, ['8888/http', '22/tcp']);
          assert.equal(sent.cloud, 'COMMUNITY');
          assert.deepEqual(sent.gpu, { id: 'NVIDIA GeForce RTX 4090', count: 1 });
          assert.deepEqual(sent.mounts, { persistent: { size: 20, path: '/workspace' } });
          assert.equal(sent.args, 'sleep infinity');
          env = sent.env as Record<string, string>;
        } else {
          const sent = made.variables!.input as Record<string, unknown>;
          assert.equal(sent.startJupyter, true);
          assert.equal(sent.ports, '8888/http,22/tcp');
          assert.equal(sent.cloudType, 'COMMUNITY');
          assert.equal(sent.volumeMountPath, '/workspace');
          assert.equal(sent.dockerArgs, 'sleep infinity');
          env = Object.fromEntries((sent.env as Array<{ key: string; value: string }>).map((e) => [e.key, e.value]));
        }
        assert.equal(env.JUPYTER_PASSWORD, r.jupyterPassword);
        assert.equal(env.HF_HOME, '/workspace/hf');
        assert.equal(env.AIRLOCK_META_experiment, 'gsm8k');
      } finally {
        await w.provider.terminate(r.pod.id);
      }
    });

    test('SUPPLY_CONSTRAINT on the cheapest offer: the next offer is tried', async () => {
      // RunPod's listing lags behind: it still shows COMMUNITY 4090s that are gone.
      w.fake.control.setStock('NVIDIA GeForce RTX 4090', 'COMMUNITY', 0, 8);
      const refusals: string[] = [];
      const r = await createPod(w.provider, {
        offers: await offers('name~4090 & spot=false'),
        spec: spec(),
        ...fast,
        onProgress: (p) => p.kind === 'no-capacity' && refusals.push(p.message),
      });
      try {
        assert.deepEqual(refusals, [
          api === 'rest'
            ? 'RunPod could not place RTX 4090 in COMMUNITY cloud (There are no longer any instances available with the requested specifications. Please refresh and try again.) — try SECURE or another GPU'
            : 'RunPod has no RTX 4090 left in COMMUNITY cloud — try SECURE or another GPU',
        ]);
        assert.equal(r.pod.costPerHour, 0.69, 'landed on SECURE');
      } finally {
        await w.provider.terminate(r.pod.id);
      }
    });

    test('no capacity anywhere: tries at most 3 offers and says what to do', async () => {
      for (const t of w.fake.state.catalog) {
        if (t.secure) w.fake.control.setStock(t.id, 'SECURE', 0, 8);
        if (t.community) w.fake.control.setStock(t.id, 'COMMUNITY', 0, 8);
      }
      const list = await offers('spot=false');
      assert.ok(list.length > 3);
      await assert.rejects(createPod(w.provider, { offers: list, spec: spec(), ...fast }), (e: unknown) => {
        assert.ok(isPodError(e, 'no-capacity'));
        assert.match(
          e.message,
          /^RunPod had no capacity for the 3 offers tried \(RTX A5000 \(24 GB\) · COMMUNITY · \$0\.160\/hr; .*\) — widen the filter, try the other cloud or try again later$/,
        );
        return true;
      });
      assert.equal(w.fake.requests.filter((r) => r.operationName === opName(api, 'create')).length, 3);
      await assert.rejects(
        createPod(w.provider, { offers: list.slice(0, 1), spec: spec() }),
        api === 'rest'
          ? /^PodError: RunPod could not place RTX A5000 in COMMUNITY cloud \(There are no longer any instances available.*\) — try SECURE or another GPU$/
          : /^PodError: RunPod has no RTX A5000 left in COMMUNITY cloud — try SECURE or another GPU$/,
      );
      await assert.rejects(createPod(w.provider, { offers: [], spec: spec() }), /RunPod has no offer matching the filter/);
    });

    test('a pod that never becomes ready is terminated after the timeout', async () => {
      w.fake.control.setNeverReady(true);
      const events: string[] = [];
      await assert.rejects(
        createPod(w.provider, {
          offers: await offers('name~A5000 & spot=false'),
          spec: spec(),
          readyTimeoutMs: 300,
          ...fast,
          onProgress: (p) => events.push(p.kind),
        }),
        (e: unknown) => {
          assert.ok(isPodError(e, 'not-ready'));
          assert.match(
            e.message,
            /^Pod \w{14} \(RTX A5000 .*\) was not ready after 0s; Airlock terminated it so it stops billing — try another offer or a longer timeout$/,
          );
          return true;
        },
      );
      assert.deepEqual(events.slice(-2), ['terminating', 'terminated']);
    });

    test('cancelling while waiting for readiness terminates the pod and leaves zero pods', async () => {
      w.fake.control.setNeverReady(true);
      const ac = new AbortController();
      await assert.rejects(
        createPod(w.provider, {
          offers: await offers('name~A5000 & spot=false'),
          spec: spec(),
          signal: ac.signal,
          ...fast,
          onProgress: (p) => p.kind === 'waiting' && ac.abort(),
        }),
        (e: unknown) => isCancelled(e) && /^Cancelled — pod \w{14} was terminated$/.test((e as Error).message),
      );
    });

    test('cancelling while the create request is in flight finds the pod RunPod made anyway and terminates it', async () => {
      w.fake.control.setLatency('podFindAndDeployOnDemand', 400);
      const ac = new AbortController();
      const list = await offers('name~A5000 & spot=false');
      setTimeout(() => ac.abort(), 150);
      const events: string[] = [];
      await assert.rejects(
        createPod(w.provider, { offers: list, spec: spec(), signal: ac.signal, ...fast, onProgress: (p) => events.push(p.kind) }),
        (e: unknown) => isCancelled(e),
      );
      assert.deepEqual(events, ['trying-offer', 'checking-orphan', 'terminating', 'terminated'], 'the sweep found the orphan by its create id');
    });

    test('a create RunPod finishes only after the client gave up is found by a later sweep', async () => {
      w.fake.control.setLatency('podFindAndDeployOnDemand', 300, 'before');
      const ac = new AbortController();
      const list = await offers('name~A5000 & spot=false');
      setTimeout(() => ac.abort(), 50);
      const events: string[] = [];
      await assert.rejects(
        createPod(w.provider, {
          offers: list,
          spec: spec(),
          signal: ac.signal,
          ...fast,
          orphanSweepDelaysMs: [0, 200, 600],
          onProgress: (p) => events.push(p.kind),
        }),
        (e: unknown) => isCancelled(e),
      );
      assert.deepEqual(events, ['trying-offer', 'checking-orphan', 'terminating', 'terminated']);
    });

    test('a 502 during create: nothing was made, the error says so, nothing is left', async () => {
      const list = (await offers('name~A5000 & spot=false')).slice(0, 1);
      w.fake.control.failHttp(502);
      const events: string[] = [];
      await assert.rejects(
        createPod(w.provider, { offers: list, spec: spec(), ...fast, onProgress: (p) => events.push(p.kind) }),
        (e: unknown) => isPodError(e, 'provider') && /HTTP 502/.test(e.message),
      );
      assert.deepEqual(events, ['trying-offer', 'checking-orphan']);
    });

    test('spot: bids the minimum, resumes with a new bid, refuses a bid below the minimum (GraphQL); REST v2 says spot needs GraphQL', async () => {
      if (api === 'rest') {
        const fake = { ...(await offers('name~3090 & cloud=community'))[0]!, spot: true };
        await assert.rejects(
          createPod(w.provider, { offers: [fake], spec: spec(), ...fast }),
          /RunPod REST v2 has no interruptible \(spot\) pods; use GraphQL for them: --api graphql \(CLI\) or the airlock\.pods\.api setting/,
        );
        assert.equal(w.fake.requests.filter((r) => r.operationName === 'createPod').length, 0, 'refused before any billable call');
        return;
      }
      const spot = await offers('name~3090 & spot & cloud=community');
      await assert.rejects(
        createPod(w.provider, { offers: spot, spec: spec({ bidPerGpu: 0.01 }), ...fast }),
        /a bid of \$0\.01\/GPU\/hr is below RunPod's minimum of \$0\.12/,
      );
      const r = await createPod(w.provider, { offers: spot, spec: spec(), ...fast });
      try {
        assert.equal(r.pod.spot, true);
        assert.equal(r.pod.costPerHour, 0.12);
        await w.provider.stop(r.pod.id);
        await w.provider.resume(r.pod.id);
        assert.equal(w.fake.requests.at(-1)!.operationName, 'BidResumePod');
      } finally {
        await w.provider.terminate(r.pod.id);
      }
    });

    test('a pod terminated elsewhere while starting: clear error, nothing to clean', async () => {
      w.fake.control.setNeverReady(true);
      await assert.rejects(
        createPod(w.provider, {
          offers: await offers('name~A5000 & spot=false'),
          spec: spec(),
          ...fast,
          onProgress: (p) => p.kind === 'created' && w.fake.state.terminate(p.pod.id),
        }),
        (e: unknown) => isPodError(e, 'not-found') && /disappeared while starting/.test(e.message),
      );
    });
  });
