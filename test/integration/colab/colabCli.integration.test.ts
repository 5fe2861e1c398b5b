// `airlock colab …` as users run it (the bundled CLI) against the fake Drive and fake Colab page:
// dispatch with a service-account key from AIRLOCK_DRIVE_SA_JSON, a webhook on loopback, results
// downloaded; failures exit 1 with the reason and a screenshot; login stores an OAuth sign-in
// (0600) that later commands use; Google's colab tool as the transport (a stand-in on PATH).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { chromiumPath } from '../../support/browser';
import { cliBundle } from '../../support/cliBundle';
import { startFakeDrive, type FakeDrive } from '../../support/fakeDrive/server';
import { startFakeColab, type FakeColab } from '../../support/fakeColab/server';

const skip = existsSync(chromiumPath) ? undefined : `missing real component: ${chromiumPath} is missing`;

/** Runs the CLI without blocking this process (the fakes live here). */
function cli(
  args: string[],
  env: Record<string, string>,
  onStderr?: (chunk: string) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBundle(), 'colab', ...args], { env: { ...process.env, ...env }, cwd: env.CWD ?? process.cwd() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      onStderr?.(d.toString());
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('airlock colab CLI against the fakes', { skip, timeout: 120_000 }, () => {
  let drive: FakeDrive;
  let colab: FakeColab;
  let dir: string;
  let env: Record<string, string>;
  const hooks: unknown[] = [];
  let hookUrl = '';
  let hookServer: ReturnType<typeof createServer>;
  before(async () => {
    drive = await startFakeDrive();
    colab = await startFakeColab(drive);
    dir = mkdtempSync(join(tmpdir(), 'airlock-colab-cli-'));
    writeFileSync(join(dir, 'sa.json'), drive.oauth.serviceAccountKey());
    hookServer = createServer((req, res) => {
      let b = '';
      req.on('data', (d) => (b += d)).on('end', () => (hooks.push(JSON.parse(b)), res.end()));
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/hooks/secret-path`;
    env = {
      AIRLOCK_DRIVE_SA_JSON: join(dir, 'sa.json'),
      AIRLOCK_CONFIG_DIR: join(dir, 'config'),
      AIRLOCK_WEBHOOK_URL: hookUrl,
      AIRLOCK_CHROME: chromiumPath,
      CWD: dir,
      PATH: '/usr/bin:/bin',
    };
  });
  after(async () => {
    hookServer?.close();
    await colab?.close();
    await drive?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    Object.assign(colab.scenario, { requireSignIn: false, noGpuBackend: false, cellMs: 30 });
    hooks.length = 0;
  });
  const endpoints = () => ['--drive-root-url', drive.rootUrl, '--colab-url', colab.url, '--poll', '0.1'];
  const tpl = 'test/fixtures/notebook/colab_template.ipynb';

  test('dispatch: progress on stderr, run id on stdout, Discord notified, results downloaded', async () => {
    // Cells long enough that a 0.1 s poll sees the run while it is running, even on a busy machine
    // (at 30 ms a cell the whole run could finish between two polls, and only "done" was seen).
    colab.scenario.cellMs = 400;
    const r = await cli(
      ['dispatch', join(process.cwd(), tpl), '--set', 'BATCH_SIZE=32', '--gpu', 'T4', '--notify', 'discord', '--download', join(dir, 'out'), ...endpoints()],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    const runId = r.stdout.trim();
    assert.match(runId, /^colab_template-\d{8}-\d{6}$/);
    assert.match(r.stderr, /\[colab\] uploaded to Drive: http:\/\/127\.0\.0\.1:\d+\/drive\/1/);
    assert.match(r.stderr, /\[colab\] running · cell \d+\/5 · T4/);
    assert.match(r.stderr, new RegExp(`airlock colab: run ${runId} done`));
    assert.match(r.stderr, /^done$/m, 'what the notebook printed, tailed from Drive');
    assert.equal(readFileSync(join(dir, 'out', runId, 'results.json'), 'utf8'), '{"accuracy": 0.91}');
    assert.ok(existsSync(join(dir, 'out', runId, 'plots', 'report.html')));
    assert.deepEqual(Object.keys(hooks[0] as object), ['content']);
    assert.match((hooks[0] as { content: string }).content, new RegExp(`✅ Colab run ${runId}: done`));
    assert.doesNotMatch(r.stderr + r.stdout, /secret-path|PRIVATE KEY/, 'no secret in the output');

    const list = await cli(['results', runId, ...endpoints()], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stderr, new RegExp(`${runId}: done, cell 5/5`));
    assert.match(list.stdout, /^plots\/report\.html\t\d+\t/m);
    const none = await cli(['results', 'nope-1', ...endpoints()], env);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no run "nope-1" in Drive folder Airlock\/runs/);
  });

  test('a failure exits 1 with the reason and a screenshot, and notifies; bad input exits 2', async () => {
    colab.scenario.noGpuBackend = true;
    const r = await cli(['dispatch', join(process.cwd(), tpl), '--notify', 'json', ...endpoints()], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /airlock colab: Colab cannot connect to a GPU backend — Colab has no GPU/);
    const shot = /\[colab\] screenshot: (.+\.png)/.exec(r.stderr)?.[1];
    assert.ok(shot && existsSync(join(dir, shot)), `screenshot under .airlock/screenshots\n${r.stderr}`);
    assert.deepEqual((hooks[0] as { state: string }).state, 'failed');
    const bad = await cli(['dispatch', join(process.cwd(), tpl), '--set', 'EPOCHS=3', ...endpoints()], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /has no parameter "EPOCHS"; its parameters are MODEL_NAME/);
    const noCreds = await cli(['dispatch', join(process.cwd(), tpl), ...endpoints()], { ...env, AIRLOCK_DRIVE_SA_JSON: '' });
    assert.equal(noCreds.code, 2);
    assert.match(noCreds.stderr, /no Google Drive credentials: pass --service-account-file/);
  });

  test('login: the loopback sign-in is stored 0600 and used by dispatch without a key', async () => {
    writeFileSync(
      join(dir, 'client_secret.json'),
      JSON.stringify({
        installed: {
          ...Object.fromEntries(Object.entries(drive.oauth.oauthClient()).map(([k, v]) => [k === 'clientId' ? 'client_id' : 'client_secret', v])),
          redirect_uris: ['http://localhost'],
        },
      }),
    );
    let opened = false;
    const login = await cli(
      ['login', '--oauth-client-file', join(dir, 'client_secret.json'), '--no-browser', '--auth-url', drive.authUrl, '--token-url', drive.tokenUrl],
      env,
      (chunk) => {
        const url = /(http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?\S+)/.exec(chunk)?.[1];
        if (url && !opened) {
          opened = true;
          void fetch(url); // the user's browser: consent, redirect back to the CLI's listener
        }
      },
    );
    assert.equal(login.code, 0, login.stderr);
    const stored = join(dir, 'config', 'google-drive-oauth.json');
    assert.equal(statSync(stored).mode & 0o777, 0o600);
    assert.doesNotMatch(login.stderr, /1\/\/fake-/, 'the refresh token is not printed');
    const r = await cli(['dispatch', join(process.cwd(), tpl), '--token-url', drive.tokenUrl, ...endpoints()], { ...env, AIRLOCK_DRIVE_SA_JSON: '' });
    assert.equal(r.code, 0, r.stderr);
  });

  test("Google's colab tool as the transport: new, exec (output streamed, exit code kept), stop", async () => {
    const bin = join(dir, 'bin');
    const calls = join(dir, 'colab-calls.txt');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'colab'),
      `#!/bin/sh
echo "$@" >> ${calls}
case "$1" in
  --help) echo "usage: colab [new|exec|stop|sessions] ..." ;;
  exec) echo "training step 1"; echo "warning: slow" >&2; grep -q 'raise ValueError' "$5" && exit 3; exit 0 ;;
esac
`,
    );
    chmodSync(join(bin, 'colab'), 0o755);
    const withTool = { ...env, PATH: `${bin}:/usr/bin:/bin` };
    const ok = await cli(['dispatch', join(process.cwd(), tpl), '--transport', 'colab-cli', '--gpu', 'L4', ...endpoints()], withTool);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /^training step 1\nwarning: slow$/m, "the notebook's output streams to stderr");
    assert.match(ok.stdout, /^colab_template-\d{8}-\d{6}\n$/, 'stdout holds only the run id');
    const log = readFileSync(calls, 'utf8');
    assert.match(log, /^new -s airlock-colab_template-\d{8}-\d{6} --gpu L4$/m);
    assert.match(log, /^exec -s airlock-\S+ -f \S+colab_template\.ipynb$/m);
    assert.match(log, /^stop -s airlock-/m);
    const browserRun = await cli(['dispatch', join(process.cwd(), tpl), ...endpoints()], withTool);
    assert.match(browserRun.stderr, /Google's colab tool is installed .*--transport colab-cli runs without a browser/);
  });
});
