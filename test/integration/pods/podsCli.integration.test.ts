// The real `airlock pods` CLI in a child process against the in-process fake RunPod, once per API
// (AIRLOCK_RUNPOD_API=rest, the default, and graphql).
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apis, endWorld, startWorld, testKey, type PodsWorld } from './podsFixture';
import { hoursUntilMidnightUtc } from '../../../src/core/pods/budget';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

for (const api of apis)
  describe(`airlock pods (CLI, ${api}) against the fake RunPod`, () => {
    let w: PodsWorld;
    let home: string;
    // Async: the fake answers from this process, so a synchronous spawn would deadlock.
    const cli = (args: string[], env: Record<string, string | undefined> = {}): Promise<Run> =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'src/cli/main.ts', 'pods', ...args],
          {
            env: {
              ...process.env,
              HOME: home,
              RUNPOD_API_KEY: testKey,
              AIRLOCK_RUNPOD_ENDPOINT: w.fake.endpoint,
              AIRLOCK_RUNPOD_API: api,
              RUNPOD_ENDPOINT: undefined,
              AIRLOCK_PODS_BUDGET_PER_DAY: undefined,
              AIRLOCK_PODS_PROJECT_BUDGETS: undefined,
              AIRLOCK_POD_SSH_IDENTITY: undefined,
              ...env,
            },
            encoding: 'utf8',
          },
          (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });

    before(async () => {
      w = await startWorld({}, api);
      home = mkdtempSync(join(tmpdir(), 'airlock-pods-cli-'));
    });
    // Every CLI test cleans up after itself through the CLI: nothing may be left on the fake.
    afterEach(() => assert.deepEqual(w.fake.control.livePods(), []));
    after(async () => {
      rmSync(home, { recursive: true, force: true });
      await endWorld(w);
    });

    test('offers with a filter expression; a bad expression points at the column (exit 2)', async () => {
      w.fake.control.rateLimit(1, 1);
      const r = await cli(['offers', '--filter', 'vram>=24 & price<0.5 & name~4090']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^airlock pods: RunPod is busy \(rate limit or server error\); retrying in 1 s\n$/, 'a 429 wait is said, not silent');
      assert.match(r.stdout, /^GPU\s+VRAM\s+COUNT\s+CLOUD\s+KIND\s+\$\/HR\s+STOCK/);
      if (api === 'rest') assert.match(r.stdout, /\nRTX 4090\s+24 GB\s+1\s+COMMUNITY\s+on-demand\s+0\.340\s+high\s+NVIDIA GeForce RTX 4090\n$/);
      else assert.match(r.stdout, /\nRTX 4090\s+24 GB\s+1\s+COMMUNITY\s+spot\s+0\.200\s+high/);
      assert.equal(r.stdout.trim().split('\n').length, api === 'rest' ? 2 : 3);
      const bad = await cli(['offers', '--filter', 'vram>=24 & prise<0.5']);
      assert.equal(bad.code, 2);
      assert.equal(
        bad.stderr,
        'airlock pods: bad filter at column 12: unknown field "prise" (known: vram, price, gpu_price, name, cloud, spot, stock)\n  vram>=24 & prise<0.5\n             ^\n',
      );
      const json = JSON.parse((await cli(['offers', '--gpu-count', '2', '--filter', 'name~H100 & cloud=secure', '--json'])).stdout) as Array<{
        pricePerHour: number;
        spot: boolean;
      }>;
      assert.deepEqual(
        json.map((o) => [o.spot, o.pricePerHour]),
        api === 'rest'
          ? [[false, 5.98]]
          : [
              [true, 3.5],
              [false, 5.98],
            ],
      );
    });

    test('create → list --meta → terminate --all-matching (needs --yes); the password goes to a 0600 file', async () => {
      const created = await cli([
        'create',
        '--image',
        'runpod/pytorch',
        '--name',
        'cli1',
        '--filter',
        'name~A5000',
        '--meta',
        'experiment=cli',
        '--poll',
        '0.05',
        '--json',
      ]);
      assert.equal(created.code, 0, created.stderr);
      const out = JSON.parse(created.stdout) as {
        pod: { id: string; state: string; metadata: Record<string, string>; jupyterProxyUrl: string; ssh: { port: number } };
        jupyterPasswordFile: string;
      };
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
      assert.match(
        listed.stdout,
        new RegExp(
          `\\n${out.pod.id}\\s+airlock-cli1\\s+running\\s+RTX A5000\\s+0\\.160\\s+\\S+\\s+\\$\\d+\\.\\d{3}\\s+203\\.0\\.113\\.\\d+:${out.pod.ssh.port}\\s+experiment=cli\\n$`,
        ),
      );
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
      const created = await cli([
        'create',
        '--image',
        'img',
        '--name',
        'cli2',
        '--filter',
        'name~3090 & cloud=secure',
        '--no-jupyter',
        '--poll',
        '0.05',
        '--json',
      ]);
      assert.equal(created.code, 0, created.stderr);
      const { pod } = JSON.parse(created.stdout) as { pod: { id: string; jupyterProxyUrl: string | null } };
      assert.equal(pod.jupyterProxyUrl, null);
      assert.equal((await cli(['stop', pod.id])).stdout, `stopped ${pod.id}\n`);
      assert.match((await cli(['get', pod.id])).stdout, /stopped \(EXITED\)/);
      const resumed = await cli([api === 'rest' ? 'start' : 'resume', pod.id, '--wait', '--poll', '0.05']);
      assert.equal(resumed.stdout, `resuming ${pod.id}\n${pod.id} is running again\n`);
      const missing = await cli(['terminate', pod.id, 'nosuchpod00000']);
      assert.equal(missing.code, 1);
      assert.equal(missing.stdout, `terminated ${pod.id}\n`);
      assert.match(
        missing.stderr,
        api === 'rest'
          ? /terminate nosuchpod00000 failed: RunPod has no pod nosuchpod00000: it was terminated, or the id is wrong \(list the pods to check\)\n/
          : /terminate nosuchpod00000 failed: RunPod: Pod not found: nosuchpod00000/,
      );
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
      assert.match(
        unreachable.stderr,
        api === 'rest' ? /Cannot reach RunPod at http:\/\/127\.0\.0\.1:9\/ \(/ : /Cannot reach RunPod at http:\/\/127\.0\.0\.1:9\/graphql \(/,
      );
      const badApi = await cli(['list', '--api', 'soap']);
      assert.deepEqual([badApi.code, badApi.stderr], [2, 'airlock pods: --api must be "rest" or "graphql", got "soap"\n']);
    });

    test('GraphQL-only and REST-only features say which API they need (exit 2, before any call)', async () => {
      const before = w.fake.requests.length;
      if (api === 'rest') {
        const spot = await cli(['create', '--image', 'img', '--name', 's', '--spot']);
        assert.equal(spot.code, 2);
        assert.match(spot.stderr, /--spot: RunPod REST v2 has no interruptible \(spot\) pods; use GraphQL for them: --api graphql/);
      } else {
        const logs = await cli(['logs', 'somepod']);
        assert.equal(logs.code, 2);
        assert.match(logs.stderr, /pod logs come from RunPod REST API v2; GraphQL has none/);
      }
      assert.equal(w.fake.requests.length, before);
    });

    test('list --orphans: Airlock pods without a watchdog, with $/hr and age; the watchdog travels in the create', async () => {
      const guarded = JSON.parse(
        (
          await cli([
            'create',
            '--image',
            'img',
            '--name',
            'guarded',
            '--filter',
            'name~A5000',
            '--idle-stop',
            '30',
            '--max-hours',
            '8',
            '--no-jupyter',
            '--poll',
            '0.05',
            '--json',
          ])
        ).stdout,
      ) as { pod: { id: string; watchdog: unknown } };
      assert.deepEqual(guarded.pod.watchdog, { idleStopSec: 1800, maxSec: 28800 });
      const bare = JSON.parse(
        (await cli(['create', '--image', 'img', '--name', 'bare', '--filter', 'name~3090', '--no-watchdog', '--no-jupyter', '--poll', '0.05', '--json']))
          .stdout,
      ) as { pod: { id: string } };
      const r = await cli(['list', '--orphans']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(
          `^ID\\s+NAME\\s+STATUS\\s+GPU\\s+\\$/HR\\s+AGE\\s+METADATA\\n${bare.pod.id}\\s+airlock-bare\\s+running\\s+RTX 3090\\s+0\\.220\\s+0m\\s+-\\n1 pod\\(s\\) without a watchdog bill \\$0\\.220/hr`,
        ),
      );
      assert.ok(!r.stdout.includes(guarded.pod.id));
      const made = w.fake.state.pods.get(guarded.pod.id)!;
      assert.match(
        made.dockerArgs,
        /^bash -c 'echo "\$AIRLOCK_WATCHDOG_SH" \| base64 -d > \/tmp\/airlock-watchdog\.sh && \(nohup bash \/tmp\/airlock-watchdog\.sh &\); if \[ -x \/start\.sh \]; then exec \/start\.sh; else exec sleep infinity; fi'$/,
      );
      const env = Object.fromEntries(made.env.map((e) => [e.key, e.value]));
      assert.equal(env.AIRLOCK_WATCHDOG_API, w.fake.restEndpoint, 'the watchdog calls the API the pod was made through');
      assert.match(Buffer.from(env.AIRLOCK_WATCHDOG_SH!, 'base64').toString('utf8'), /^#!\/usr\/bin\/env bash\n# Airlock on-pod watchdog/);
      assert.equal((await cli(['terminate', guarded.pod.id, bare.pod.id])).code, 0);
    });

    test('budget: a pod that would take today over --budget is refused without --yes, created with it', async () => {
      const creates = () => w.fake.requests.filter((r) => r.operationName === (api === 'rest' ? 'createPod' : 'CreateOnDemandPod')).length;
      const before = creates();
      // Budgets scale with the hours left today, so the test means the same at 00:01 and at 23:59 UTC:
      // $1/hr until midnight refuses the H100 ($2.69/hr); $0.10/hr is under every A5000 price ($0.16–0.27/hr).
      const hours = Math.max(hoursUntilMidnightUtc(), 0.01);
      const refused = await cli([
        'create',
        '--image',
        'img',
        '--name',
        'b',
        '--filter',
        'name~H100',
        '--budget',
        hours.toFixed(6),
        '--no-jupyter',
        '--poll',
        '0.05',
      ]);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /^airlock pods: not creating: \$0\.000 spent today(| \(estimated from uptime\)); with the pods billing now \(\$0\.000\/hr\) and this one \(\$2\.690\/hr\) until midnight UTC that is \$\d+\.\d+ of the \$\d+\.\d+\/day budget\. Pass --yes to create it anyway/,
      );
      assert.equal(creates(), before, 'refused before the billable call');
      const env = { AIRLOCK_PODS_BUDGET_PER_DAY: (0.1 * hours).toFixed(6) };
      const forced = await cli(['create', '--image', 'img', '--name', 'b', '--filter', 'name~A5000', '--yes', '--no-jupyter', '--poll', '0.05', '--json'], env);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(forced.stderr, /over budget, creating anyway \(--yes\)/);
      assert.doesNotMatch(forced.stderr, /warning: .*SSH/, 'the account has SSH keys: no warning');
      assert.equal((await cli(['terminate', (JSON.parse(forced.stdout) as { pod: { id: string } }).pod.id])).code, 0);
    });

    test("project budget: a project's own pods count against it, another project's do not; --project-budget needs --meta project", async () => {
      const create = (name: string, args: string[], env: Record<string, string> = {}) =>
        cli(['create', '--image', 'img', '--name', name, '--no-jupyter', '--no-wait', '--json', ...args], env);
      const vision = await create('v', ['--filter', 'name~H100', '--meta', 'project=vision']);
      assert.equal(vision.code, 0, vision.stderr);
      try {
        // $1/hr until midnight: the new 4090 ($0.34/hr) fits it; with the H100 ($2.69/hr) counted it would not.
        const usd = hoursUntilMidnightUtc().toFixed(4);
        const env = { AIRLOCK_PODS_PROJECT_BUDGETS: `llm=${usd},other=0` };
        const account = await create('l', ['--filter', 'name~4090', '--meta', 'project=llm', '--budget', usd], env);
        assert.equal(account.code, 1, 'the account budget counts every pod');
        assert.match(account.stderr, /not creating: \$\d+\.\d+ spent today(| \(estimated from uptime\)); with the pods billing now \(\$2\.690\/hr\)/);
        const llm = await create('l', ['--filter', 'name~4090', '--meta', 'project=llm'], env);
        assert.equal(llm.code, 0, `only project llm's pods count against llm's budget: ${llm.stderr}`);
        assert.equal((await cli(['terminate', (JSON.parse(llm.stdout) as { pod: { id: string } }).pod.id])).code, 0);
        const tight = await create('l', ['--filter', 'name~4090', '--meta', 'project=llm', '--project-budget', '0.001'], env);
        assert.equal(tight.code, 1);
        assert.match(
          tight.stderr,
          /not creating: \$\d+\.\d+ spent today by project "llm"(| \(estimated from uptime\)); with its pods billing now \(\$0\.000\/hr\) and this one \(\$0\.\d+\/hr\) until midnight UTC that is \$\d+\.\d+ of the project "llm"'s \$0\.001\/day budget\. Pass --yes to create it anyway, or raise --project-budget \(now \$0\.001 for "llm"\)/,
        );
        if (api === 'rest') {
          // Flag checks come before any call, the same on both APIs.
          const noProject = await create('l', ['--filter', 'name~4090', '--project-budget', '5']);
          assert.equal(noProject.code, 2);
          assert.match(noProject.stderr, /--project-budget needs the pod's project: add --meta project=NAME/);
          const bad = await create('l', ['--filter', 'name~4090'], { AIRLOCK_PODS_PROJECT_BUDGETS: 'llm' });
          assert.equal(bad.code, 2);
          assert.match(bad.stderr, /AIRLOCK_PODS_PROJECT_BUDGETS: "llm" is not project=USD \(e\.g\. llm=20,vision=5\)/);
        }
      } finally {
        assert.equal((await cli(['terminate', (JSON.parse(vision.stdout) as { pod: { id: string } }).pod.id])).code, 0);
      }
    });

    test('no SSH key on the account: create warns with what to do; an identity with a .pub is sent as PUBLIC_KEY instead', async () => {
      w.fake.control.setSshKeys([]);
      try {
        const bare = await cli(['create', '--image', 'img', '--name', 's', '--filter', 'name~4090', '--no-jupyter', '--no-wait', '--json']);
        assert.equal(bare.code, 0, bare.stderr);
        assert.match(
          bare.stderr,
          /warning: Your RunPod account has no SSH public key, so this pod will accept no SSH login: SSH tunnels, the pod terminal, Copy SSH Command and Colab-to-pod will not work .*runpod\.io → Settings → SSH Public Keys.* AIRLOCK_POD_SSH_IDENTITY to a private key whose \.pub file sits beside it/,
        );
        assert.equal((await cli(['terminate', (JSON.parse(bare.stdout) as { pod: { id: string } }).pod.id])).code, 0);
        // Colab reaches the pod only over SSH: no key, no pod (before the billable call).
        const creates = w.fake.requests.length;
        const colab = await cli(['colab', '--min-vram', '24']);
        assert.equal(colab.code, 1, colab.stderr);
        assert.match(colab.stderr, /airlock pods colab: not creating a pod: Your RunPod account has no SSH public key/);
        assert.ok(!w.fake.requests.slice(creates).some((r) => /^(createPod|CreateOnDemandPod)$/.test(r.operationName ?? '')), 'no create was sent');
        const key = join(home, 'id_test');
        writeFileSync(key, 'not read');
        writeFileSync(`${key}.pub`, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMineMineMine me@laptop\n');
        const withKey = await cli(['create', '--image', 'img', '--name', 's', '--filter', 'name~4090', '--no-jupyter', '--no-wait', '--json'], {
          AIRLOCK_POD_SSH_IDENTITY: key,
        });
        assert.equal(withKey.code, 0, withKey.stderr);
        assert.doesNotMatch(withKey.stderr, /warning/);
        const id = (JSON.parse(withKey.stdout) as { pod: { id: string } }).pod.id;
        const env = Object.fromEntries(w.fake.state.pods.get(id)!.env.map((e) => [e.key, e.value]));
        assert.equal(env.PUBLIC_KEY, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMineMineMine me@laptop');
        assert.equal((await cli(['terminate', id])).code, 0);
      } finally {
        w.fake.control.setSshKeys(['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests tests@airlock']);
      }
    });

    if (api === 'rest')
      test('logs -f streams live lines and survives a dropped connection; a failing image shows its pull error during create', async () => {
        const created = JSON.parse(
          (await cli(['create', '--image', 'img', '--name', 'logs', '--filter', 'name~A5000', '--no-jupyter', '--poll', '0.05', '--json'])).stdout,
        ) as { pod: { id: string } };
        const id = created.pod.id;
        w.fake.rest.dropLogStreams(2, 1); // after the create: its start-up log stream is done
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'pods', 'logs', id, '-f'], {
          env: { ...process.env, HOME: home, RUNPOD_API_KEY: testKey, AIRLOCK_RUNPOD_ENDPOINT: w.fake.endpoint, AIRLOCK_RUNPOD_API: 'rest' },
        });
        let out = '';
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d));
        await new Promise<void>((resolve) =>
          child.stdout.on('data', (d: Buffer) => {
            out += d;
            if (/Starting SSH server/.test(out) && !/epoch 1/.test(out)) w.fake.rest.logs.emit(id, 'epoch 1');
            if (/epoch 1\n/.test(out)) resolve();
          }),
        );
        child.kill('SIGTERM');
        const lines = out
          .trim()
          .split('\n')
          .map((l) => l.replace(/^\S+ /, ''));
        assert.deepEqual(
          lines,
          w.fake.rest.logs.all(id).map((l) => `[${l.source}] ${l.line}`),
        );
        assert.match(err, /log stream dropped \(the (stream ended|connection dropped)\); resuming after \S+…/);
        assert.equal((await cli(['terminate', id])).code, 0);

        w.fake.rest.failImage('bad/image:1');
        const failed = await cli(['create', '--image', 'bad/image:1', '--name', 'broken', '--filter', 'name~A5000', '--no-jupyter', '--poll', '0.05']);
        assert.equal(failed.code, 1);
        assert.match(
          failed.stderr,
          /created pod \w+; waiting for it to start…\n(.*\n)* {2}\[system\] Error response from daemon: pull access denied for bad\/image/,
        );
        assert.match(failed.stderr, /failed while starting \(status ERROR\)/);
      });
  });
