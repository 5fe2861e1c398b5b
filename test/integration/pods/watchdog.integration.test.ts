// The on-pod watchdog as a real process (bash, the very script Airlock installs) with a fake
// `nvidia-smi` on PATH, real TCP connections as SSH/Jupyter activity, and its stop request going to
// the REST fake: idle → stop; busy GPU or a connection → never; lifetime → stop whatever it does.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPod } from '../../../src/core/pods/provision';
import { selectOffers } from '../../../src/core/pods/offers';
import { watchdogScript } from '../../../src/core/pods/watchdog/watchdog.sh';
import { watchdogEnv, wrapStartCommand } from '../../../src/core/pods/watchdog/install';
import { endWorld, spec, startWorld, testKey, type PodsWorld } from './podsFixture';

describe('pods: the on-pod watchdog', { timeout: 60_000 }, () => {
  let w: PodsWorld;
  let dir: string;
  let podId: string;
  let server: Server;
  let port: number;
  const children: ChildProcess[] = [];
  const sockets: Socket[] = [];

  beforeEach(async () => {
    w = await startWorld({}, 'rest');
    dir = mkdtempSync(join(tmpdir(), 'airlock-watchdog-'));
    writeFileSync(join(dir, 'watchdog.sh'), watchdogScript);
    writeFileSync(join(dir, 'nvidia-smi'), '#!/bin/sh\n[ -f "$FAKE_GPU_FAIL" ] && exit 9\ncat "$FAKE_GPU_UTIL"\n');
    chmodSync(join(dir, 'nvidia-smi'), 0o755);
    setGpu('0\n0\n');
    const offers = selectOffers(await w.provider.offers({ gpuCount: 2 }), { gpuName: 'A5000' });
    podId = (await createPod(w.provider, { offers, spec: spec({ name: 'guarded' }), pollIntervalMs: 20 })).pod.id;
    server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    for (const s of sockets.splice(0)) s.destroy();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
    if (w.fake.state.pods.has(podId)) await w.provider.terminate(podId);
    await endWorld(w);
  });

  function setGpu(text: string) {
    writeFileSync(join(dir, 'util'), text);
  }

  function run(o: { idleSec: number; maxSec?: number }) {
    const child = spawn('bash', [join(dir, 'watchdog.sh')], {
      env: {
        PATH: `${dir}:${process.env.PATH}`,
        RUNPOD_POD_ID: podId,
        RUNPOD_API_KEY: testKey,
        AIRLOCK_WATCHDOG_API: w.fake.restEndpoint,
        AIRLOCK_WATCHDOG_IDLE_SEC: String(o.idleSec),
        AIRLOCK_WATCHDOG_MAX_SEC: String(o.maxSec ?? 0),
        AIRLOCK_WATCHDOG_INTERVAL_SEC: '0.2',
        AIRLOCK_WATCHDOG_PORTS: String(port),
        AIRLOCK_WATCHDOG_DIR: join(dir, 'state'),
        AIRLOCK_WATCHDOG_NAME: 'airlock-guarded',
        FAKE_GPU_UTIL: join(dir, 'util'),
        FAKE_GPU_FAIL: join(dir, 'fail'),
      },
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    const exited = new Promise<number>((r) => child.on('exit', (code) => r(code ?? -1)));
    return { child, exited, output: () => out };
  }

  const stops = () => w.fake.requests.filter((r) => r.operationName === 'podAction' && (r.body as { action?: string } | undefined)?.action === 'stop');
  // Several idle windows of the watchdog's own clock; the assertion is about requests, not time.
  const watchFor = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('idle GPUs and no connection for idleStopMinutes → it stops the pod through REST v2 and says why', async () => {
    const wd = run({ idleSec: 1 });
    assert.equal(await wd.exited, 0, wd.output());
    assert.equal(stops().length, 1);
    assert.equal(stops()[0]!.userAgent, 'airlock-watchdog');
    assert.equal(w.fake.state.pods.get(podId)!.desiredStatus, 'EXITED');
    assert.match(w.fake.state.pods.get(podId)!.name, /^airlock-guarded \[stopped: idle\]$/);
    assert.match(
      wd.output(),
      /\[airlock-watchdog\] \S+ stopping pod \w+: idle for \d+ s: GPU at or below 5% and no SSH\/Jupyter connection \(idleStopMinutes\)\n.*stop requested/,
    );
    const why = JSON.parse(readFileSync(join(dir, 'state', 'watchdog-stopped.json'), 'utf8')) as { reason: string };
    assert.match(why.reason, /^idle for \d+ s/);
    assert.deepEqual(w.fake.rest.violations, []);
  });

  test('a busy GPU, an SSH/Jupyter connection or an unreadable nvidia-smi never stop it; idle again → stop', async () => {
    const wd = run({ idleSec: 1 });
    setGpu('3\n87\n'); // one GPU training
    await watchFor(2500);
    assert.equal(stops().length, 0, wd.output());
    setGpu('0\n0\n');
    const client = connect(port, '127.0.0.1');
    sockets.push(client);
    await new Promise((r) => client.on('connect', r));
    await watchFor(2500);
    assert.equal(stops().length, 0, 'someone is connected');
    writeFileSync(join(dir, 'fail'), '');
    client.destroy();
    await watchFor(2500);
    assert.equal(stops().length, 0, 'a GPU it cannot read counts as busy');
    assert.equal(wd.child.exitCode, null, 'still watching');
    rmSync(join(dir, 'fail'));
    assert.equal(await wd.exited, 0);
    assert.equal(stops().length, 1);
  });

  test('maxHours: the lifetime stops even a busy pod', async () => {
    setGpu('99\n99\n');
    const wd = run({ idleSec: 0, maxSec: 1 });
    assert.equal(await wd.exited, 0, wd.output());
    assert.equal(stops().length, 1);
    assert.match(wd.output(), /stopping pod \w+: lifetime of 1 s reached \(maxHours\)/);
    assert.match(w.fake.state.pods.get(podId)!.name, /\[stopped: lifetime\]$/);
  });

  test('a failed stop request is retried on the next check', async () => {
    w.fake.control.failHttp(503, 2);
    const wd = run({ idleSec: 1 });
    assert.equal(await wd.exited, 0, wd.output());
    assert.match(wd.output(), /stop request failed; retrying/);
    assert.equal(w.fake.state.pods.get(podId)!.desiredStatus, 'EXITED');
  });

  test('the container start command launches it and then runs the user command', async () => {
    const env = { ...watchdogEnv({ idleStopMinutes: 30 }, 'airlock-x'), PATH: process.env.PATH! };
    const args = wrapStartCommand("echo 'user command ran'", { idleStopMinutes: 30 });
    // RUNPOD_POD_ID is unset here, so the watchdog says so and exits instead of watching.
    const out = await new Promise<string>((resolve) => execFile('sh', ['-c', args], { env }, (_e, stdout, stderr) => resolve(stdout + stderr)));
    assert.match(out, /user command ran/);
    await watchFor(300);
    assert.ok(existsSync('/tmp/airlock-watchdog.sh'));
    assert.equal(readFileSync('/tmp/airlock-watchdog.sh', 'utf8'), watchdogScript);
  });
});
