// The real `airlock pods` CLI in a child process against the in-process fake RunPod.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endWorld, startWorld, testKey, type PodsWorld } from './podsFixture';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('airlock pods (CLI) against the fake RunPod', () => {
  let w: PodsWorld;
  let home: string;
  // Async: the fake answers from this process, so a synchronous spawn would deadlock.
  const cli = (args: string[], env: Record<string, string | undefined> = {}): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'pods', ...args], {
        env: { ...process.env, HOME: home, RUNPOD_API_KEY: testKey, AIRLOCK_RUNPOD_ENDPOINT: w.fake.endpoint, RUNPOD_ENDPOINT: undefined, ...env },
        encoding: 'utf8',
      }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });

  before(async () => {
    w = await startWorld();
    home = mkdtempSync(join(tmpdir(), 'airlock-pods-cli-'));
  });
  // Every CLI test cleans up after itself through the CLI: nothing may be left on the fake.
  afterEach(() => assert.deepEqual(w.fake.control.livePods(), []));
  after(async () => {
    rmSync(home, { recursive: true, force: true });
    await endWorld(w);
  });

  test('offers with a filter expression; a bad expression points at the column (exit 2)', async () => {
    const r = await cli(['offers', '--filter', 'vram>=24 & price<0.5 & name~4090']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^GPU\s+VRAM\s+COUNT\s+CLOUD\s+KIND\s+\$\/HR\s+STOCK/);
    assert.match(r.stdout, /\nRTX 4090\s+24 GB\s+1\s+COMMUNITY\s+spot\s+0\.200\s+high/);
    assert.equal(r.stdout.trim().split('\n').length, 3);
    const bad = await cli(['offers', '--filter', 'vram>=24 & prise<0.5']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'airlock pods: bad filter at column 12: unknown field "prise" (known: vram, price, gpu_price, name, cloud, spot, stock)\n  vram>=24 & prise<0.5\n             ^\n');
    const json = JSON.parse((await cli(['offers', '--gpu-count', '2', '--filter', 'name~H100 & cloud=secure', '--json'])).stdout) as Array<{ pricePerHour: number; spot: boolean }>;
    assert.deepEqual(json.map((o) => [o.spot, o.pricePerHour]), [[true, 3.5], [false, 5.98]]);
  });

  test('create → list --meta → terminate --all-matching (needs --yes); the password goes to a 0600 file', async () => {
    const created = await cli(['create', '--image', 'runpod/pytorch', '--name', 'cli1', '--filter', 'name~A5000', '--meta', 'experiment=cli', '--poll', '0.05', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const out = JSON.parse(created.stdout) as { pod: { id: string; state: string; metadata: Record<string, string>; jupyterProxyUrl: string; ssh: { port: number } }; jupyterPasswordFile: string };
    assert.equal(out.pod.state, 'running');
    assert.deepEqual(out.pod.metadata, { experiment: 'cli' });
    assert.equal(out.pod.jupyterProxyUrl, `https://${out.pod.id}-8888.proxy.runpod.net`);
    assert.equal(out.jupyterPasswordFile, join(home, '.airlock', 'pods', `${out.pod.id}.jupyter-password`));
    assert.equal(statSync(out.jupyterPasswordFile).mode & 0o777, 0o600);
    const password = readFileSync(out.jupyterPasswordFile, 'utf8').trim();
    assert.ok(!created.stdout.includes(password) && !created.stderr.includes(password), 'the password is only in the file');
    assert.match(created.stderr, /trying RTX A5000 \(24 GB\) · COMMUNITY · \$0\.160\/hr \(1\/\d\)…\ncreated pod \w+; waiting for it to start…/);
    assert.match(created.stderr, /pod \w+ is ready\n$/);

    const listed = await cli(['list', '--meta', 'experiment=cli']);
    assert.match(listed.stdout, new RegExp(`\\n${out.pod.id}\\s+airlock-cli1\\s+running\\s+RTX A5000\\s+0\\.160\\s+\\S+\\s+\\$0\\.000\\s+203\\.0\\.113\\.\\d+:${out.pod.ssh.port}\\s+experiment=cli\\n$`));
    assert.equal((await cli(['list', '--meta', 'experiment=other'])).stdout, 'no pods\n');

    const refused = await cli(['terminate', '--all-matching', 'experiment=cli']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /1 pod\(s\) match experiment=cli:[\s\S]*nothing terminated \(pass --yes to skip the question\)/);
    assert.equal(w.fake.control.livePods().length, 1);
    const done = await cli(['terminate', '--all-matching', 'experiment=cli', '--yes']);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.stdout, `terminated ${out.pod.id}\n`);
    assert.deepEqual(w.fake.control.livePods(), []);
  });

  test('stop / resume / terminate by id, with exit codes', async () => {
    const created = await cli(['create', '--image', 'img', '--name', 'cli2', '--filter', 'name~3090 & cloud=secure', '--no-jupyter', '--poll', '0.05', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const { pod } = JSON.parse(created.stdout) as { pod: { id: string; jupyterProxyUrl: string | null } };
    assert.equal(pod.jupyterProxyUrl, null);
    assert.equal((await cli(['stop', pod.id])).stdout, `stopped ${pod.id}\n`);
    assert.match((await cli(['get', pod.id])).stdout, /stopped \(EXITED\)/);
    const resumed = await cli(['resume', pod.id, '--wait', '--poll', '0.05']);
    assert.equal(resumed.stdout, `resuming ${pod.id}\n${pod.id} is running again\n`);
    const missing = await cli(['terminate', pod.id, 'nosuchpod00000']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, `terminated ${pod.id}\n`);
    assert.match(missing.stderr, /terminate nosuchpod00000 failed: RunPod: Pod not found: nosuchpod00000/);
    assert.equal((await cli(['get', pod.id])).code, 1);
  });

  test('a bad key names the problem and never prints the key; no key at all is bad input', async () => {
    const secret = 'rp_CLI_WRONG_KEY_0000111122223333';
    const bad = await cli(['list'], { RUNPOD_API_KEY: secret });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^airlock pods: RunPod rejected the API key \(HTTP 401\).*\(the key comes from RUNPOD_API_KEY\)\n$/);
    assert.ok(!bad.stderr.includes(secret) && !bad.stdout.includes(secret));
    const none = await cli(['offers'], { RUNPOD_API_KEY: undefined });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no RunPod API key: export RUNPOD_API_KEY=<key>/);
    const usage = await cli(['frobnicate']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /unknown subcommand "frobnicate"/);
    const badFlag = await cli(['create', '--image', 'x', '--name', 'y', '--gpu-count', 'two']);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /--gpu-count must be a whole number ≥ 1, got "two"/);
  });

  test('--endpoint overrides the environment', async () => {
    const r = await cli(['list', '--endpoint', w.fake.endpoint], { AIRLOCK_RUNPOD_ENDPOINT: 'http://127.0.0.1:9/graphql' });
    assert.equal(r.code, 0, r.stderr);
    const unreachable = await cli(['list'], { AIRLOCK_RUNPOD_ENDPOINT: 'http://127.0.0.1:9/graphql' });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /Cannot reach RunPod at http:\/\/127\.0\.0\.1:9\/graphql \(/);
  });
});
