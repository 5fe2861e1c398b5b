import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { costSoFar, formatUptime, totalHourlyCost } from '../../../src/core/pods/cost';
import { jupyterTunnelUrl, sshCommand, sshEndpoint } from '../../../src/core/pods/endpoints';
import { IdleTracker, isGpuIdle } from '../../../src/core/pods/idle';
import { podPorts } from '../../../src/core/pods/provision';
import { toOffers, toPodInfo } from '../../../src/core/pods/runpod/mapping';
import { runpodProxyUrl } from '../../../src/core/pods/runpod/runpodProvider';
import type { WirePod } from '../../../src/core/pods/runpod/wire';
import type { PodInfo } from '../../../src/core/pods/types';

const wire = (o: Partial<WirePod>): WirePod => ({
  id: 'p9dwea7lgunsf4',
  name: 'airlock-x',
  desiredStatus: 'RUNNING',
  gpuCount: 1,
  costPerHr: 3,
  ports: '8888/http,22/tcp',
  env: [],
  ...o,
});
const running = wire({
  runtime: {
    uptimeInSeconds: 1800,
    ports: [
      { ip: '100.65.0.2', isIpPublic: false, privatePort: 8888, publicPort: 8888, type: 'http' },
      { ip: '69.30.85.197', isIpPublic: true, privatePort: 22, publicPort: 22091, type: 'tcp' },
    ],
    gpus: [
      { id: 'g0', gpuUtilPercent: 2 },
      { id: 'g1', gpuUtilPercent: 0 },
    ],
  },
});

describe('RunPod → PodInfo mapping', () => {
  test('state from desiredStatus and runtime', () => {
    assert.equal(toPodInfo(wire({ runtime: null })).state, 'starting');
    assert.equal(toPodInfo(running).state, 'running');
    assert.equal(toPodInfo(wire({ desiredStatus: 'EXITED' })).state, 'stopped');
    assert.equal(toPodInfo(wire({ desiredStatus: 'DEAD' })).state, 'error');
    assert.equal(toPodInfo(wire({ desiredStatus: 'TERMINATED' })).state, 'terminated');
    assert.equal(toPodInfo(wire({ podType: 'INTERRUPTABLE' })).spot, true);
  });

  test('never exposes env values other than Airlock metadata', () => {
    const p = toPodInfo(wire({ env: ['JUPYTER_PASSWORD=hunter2', 'AIRLOCK_MANAGED=1', 'AIRLOCK_META_exp=a'] }));
    assert.deepEqual(p.metadata, { exp: 'a' });
    assert.equal(p.managedByAirlock, true);
    assert.ok(!JSON.stringify(p).includes('hunter2'));
  });

  test('offers: both clouds, on-demand and spot, per-GPU price × count, stock', () => {
    const offers = toOffers(
      [
        {
          id: 'NVIDIA L4',
          displayName: 'L4',
          memoryInGb: 24,
          secureCloud: true,
          communityCloud: false,
          secure: { uninterruptablePrice: 0.43, minimumBidPrice: 0.26, stockStatus: 'Low' },
          community: { uninterruptablePrice: 0.3, minimumBidPrice: null, stockStatus: 'High' },
        },
        null,
      ],
      2,
    );
    assert.deepEqual(
      offers.map((o) => [o.cloud, o.spot, o.pricePerHour, o.stock]),
      [
        ['SECURE', false, 0.86, 'low'],
        ['SECURE', true, 0.52, 'low'],
      ],
    );
  });
});

describe('pod helpers', () => {
  const pod = toPodInfo(running);

  test('proxy URL, SSH endpoint and commands, tunnel URL', () => {
    assert.equal(runpodProxyUrl('p9dwea7lgunsf4', 8888), 'https://p9dwea7lgunsf4-8888.proxy.runpod.net');
    assert.deepEqual(sshEndpoint(pod), { host: '69.30.85.197', port: 22091, user: 'root' });
    assert.equal(sshCommand(sshEndpoint(pod)!, { localPort: 8888, remotePort: 8888 }), 'ssh -p 22091 root@69.30.85.197 -L 8888:localhost:8888');
    assert.equal(jupyterTunnelUrl(8890, 'a b'), 'http://localhost:8890/?token=a%20b');
    assert.equal(sshEndpoint(toPodInfo(wire({}))), undefined);
  });

  test('cost so far and total $/hr', () => {
    assert.equal(costSoFar(pod), 1.5);
    const stopped = toPodInfo(wire({ desiredStatus: 'EXITED' }));
    assert.equal(costSoFar(stopped), 0);
    assert.equal(totalHourlyCost([pod, stopped, toPodInfo(wire({ costPerHr: 0.5 }))]), 3.5);
    assert.equal(formatUptime(3725), '1h02m');
    assert.equal(formatUptime(0), '0m00s');
  });

  test('idle detection needs every GPU idle for N minutes; one busy sample resets it', () => {
    assert.equal(isGpuIdle(pod), true);
    const busy: PodInfo = { ...pod, gpuUtilization: [90, 0] };
    const t = new IdleTracker(5);
    assert.deepEqual(t.observe([pod], 10, 0), []);
    assert.deepEqual(t.observe([pod], 10, 9 * 60_000), []);
    assert.deepEqual(
      t.observe([pod], 10, 10 * 60_000).map((x) => x.idleMinutes),
      [10],
    );
    t.observe([busy], 10, 11 * 60_000);
    assert.deepEqual(t.observe([pod], 10, 12 * 60_000), []);
    assert.equal(isGpuIdle(toPodInfo(wire({}))), false, 'no runtime: unknown, not idle');
  });

  test('ports: Jupyter and SSH are always there, bad ones refused', () => {
    assert.deepEqual(podPorts([], true), ['8888/http', '22/tcp']);
    assert.deepEqual(podPorts(['6006', '8888/http'], true), ['6006/http', '8888/http', '22/tcp']);
    assert.deepEqual(podPorts([], false), ['22/tcp']);
    assert.throws(() => podPorts(['ssh'], true), /port "ssh\/http" must look like/);
  });
});
