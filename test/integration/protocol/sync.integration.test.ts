// `airlock sync watch|status|resume` as users run it (the bundled CLI) against the fake Drive and
// the fake Hub: only complete files are picked up (never one still open for writing), each tier
// gets what its patterns say, retention keeps the last N locally only after the remotes confirm,
// status shows where each file is; resume takes local, then Drive, then the Hub (Drive down),
// checks the hash and says why it skipped a tier; the disk guard; bad config exits 2 with the line.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { driveFiles, killGroup, killStarted, readState, runCli, sha, startCli, startFakes, waitFor, writeConfig, type Fakes } from './syncSupport';

describe('airlock sync against the fake Drive and the fake Hub', { timeout: 150_000 }, () => {
  let fakes: Fakes;
  let tmp: string;
  let dir: string;
  let cfg: string;
  const written = new Map<string, Buffer>();
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'airlock-sync-'));
    fakes = await startFakes(tmp);
    dir = join(tmp, 'run');
    mkdirSync(join(dir, 'checkpoints'), { recursive: true });
    cfg = join(tmp, 'sync.json');
    writeConfig(cfg, { folder: 'Airlock/ckpt/run1', repo: 'alice/run1-ckpts' });
  });
  after(async () => {
    await killStarted();
    await fakes.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const save = (name: string, size = 300_000) => {
    const body = randomBytes(size);
    const p = join(dir, 'checkpoints', name);
    writeFileSync(`${p}.tmp`, body);
    renameSync(`${p}.tmp`, p);
    written.set(`checkpoints/${name}`, body);
  };

  test('watch uploads complete files per tier, never an open one; retention; status', async () => {
    const open = openSync(join(dir, 'checkpoints', 'writing.pt'), 'w');
    writeSync(open, randomBytes(1000));
    writeFileSync(join(dir, 'train.log'), 'step 1 loss 2.0\n');
    save('step_1.pt', 1_500_000); // multipart on the Hub
    const w = startCli(['sync', 'watch', dir, '--config', cfg, ...fakes.endpoints], fakes.env);
    const logs = () => w.out.join('');
    const confirmed = (rel: string, tiers: string[]) => () => {
      const f = readState(dir)?.files[rel];
      return f && tiers.every((t) => f.tiers[t as 'hf']?.status === 'confirmed');
    };
    await waitFor('step_1 on both tiers', confirmed('checkpoints/step_1.pt', ['drive', 'hf']), 60_000, logs);
    await waitFor('train.log on Drive', confirmed('train.log', ['drive']), 30_000, logs);
    save('step_2.pt');
    save('step_3.pt');
    await waitFor('step_3 on both tiers', confirmed('checkpoints/step_3.pt', ['drive', 'hf']), 60_000, logs);
    await waitFor('step_1 deleted by retention', () => readState(dir)?.files['checkpoints/step_1.pt']?.localDeletedAt, 20_000, logs);
    assert.equal(existsSync(join(dir, 'checkpoints', 'step_1.pt')), false);
    assert.ok(existsSync(join(dir, 'checkpoints', 'step_2.pt')) && existsSync(join(dir, 'checkpoints', 'step_3.pt')));
    // train.log matched only Drive; the open file never counted as complete.
    assert.equal(readState(dir)!.files['train.log']!.tiers.hf, undefined);
    assert.equal(readState(dir)!.files['checkpoints/writing.pt'], undefined, 'a file open for writing is never picked up');
    closeSync(open);
    await waitFor('writing.pt once closed', () => readState(dir)?.files['checkpoints/writing.pt'], 20_000, logs);
    // The remotes hold the same bytes, once.
    const repo = fakes.hub.repo('model', 'alice/run1-ckpts')!;
    assert.equal(repo.private, true);
    assert.equal(repo.files.get('checkpoints/step_1.pt')?.lfs?.oid, sha(written.get('checkpoints/step_1.pt')!));
    assert.equal(repo.commits.filter((c) => c.paths.includes('checkpoints/step_1.pt')).length, 1);
    assert.equal(driveFiles(fakes.drive, 'Airlock/ckpt/run1/checkpoints', 'step_1.pt').length, 1);
    assert.deepEqual(driveFiles(fakes.drive, 'Airlock/ckpt/run1/checkpoints', 'step_1.pt')[0]!.content, written.get('checkpoints/step_1.pt'));

    const st = await runCli(['sync', 'status', dir], fakes.env);
    assert.equal(st.code, 0, st.stderr);
    assert.match(st.stdout, /checkpoints\/step_1\.pt .*local ✗ \(retention\) · Drive ✓ · HF ✓/);
    assert.match(st.stdout, /train\.log .*local ✓ · Drive ✓$/m);
    const js = await runCli(['sync', 'status', dir, '--json'], fakes.env);
    assert.equal((JSON.parse(js.stdout) as { version: number }).version, 1);
    assert.equal(await killGroup(w, 'SIGTERM'), 130);
    assert.ok(readState(dir)!.stoppedAt, 'a stopped sync says so in its state');
    // Credentials never reached argv or the state file.
    assert.doesNotMatch(readFileSync(join(dir, '.airlock', 'sync-state.json'), 'utf8'), /hf_syncTestToken|PRIVATE KEY/);
  });

  test('resume: local first, then Drive, then the Hub when Drive is down — hash-checked, says why', async () => {
    const out = join(tmp, 'resume');
    const args = ['sync', 'resume', '--latest', '-o', out, '--dir', dir, '--config', cfg, '--json', ...fakes.endpoints];
    const expect = sha(written.get('checkpoints/step_3.pt')!);
    let r = await runCli(args, fakes.env);
    assert.equal(r.code, 0, r.stderr);
    let j = JSON.parse(r.stdout) as { tier: string; sha256: string; name: string; skipped: { tier: string; reason: string }[] };
    assert.equal(j.tier, 'local');
    assert.equal(j.sha256, expect);

    // The VM lost its local checkpoints.
    for (const n of ['step_2.pt', 'step_3.pt']) unlinkSync(join(dir, 'checkpoints', n));
    r = await runCli(args, fakes.env);
    assert.equal(r.code, 0, r.stderr);
    j = JSON.parse(r.stdout);
    assert.equal(j.tier, 'drive');
    assert.equal(j.name, 'checkpoints/step_3.pt');
    assert.match(j.skipped[0]!.reason, /step_3\.pt is missing/);
    assert.deepEqual(readFileSync(join(out, 'step_3.pt')), written.get('checkpoints/step_3.pt'));

    fakes.drive.fail(503, { times: 1000, on: 'list' });
    try {
      r = await runCli(args, fakes.env);
    } finally {
      fakes.drive.clearFaults();
    }
    assert.equal(r.code, 0, r.stderr);
    j = JSON.parse(r.stdout);
    assert.equal(j.tier, 'hf');
    assert.equal(j.sha256, expect);
    assert.deepEqual(
      j.skipped.map((s) => s.tier),
      ['local', 'drive'],
    );
    assert.match(j.skipped[1]!.reason, /503|Service Unavailable/);

    // Nothing anywhere: exit 1 with every reason.
    fakes.drive.fail(503, { times: 1000, on: 'list' });
    fakes.hub.fail(503, { times: 1000 });
    try {
      r = await runCli(['sync', 'resume', '--latest', '-o', out, '--dir', dir, '--config', cfg, ...fakes.endpoints], fakes.env);
    } finally {
      fakes.drive.clearFaults();
      fakes.hub.clearFaults();
    }
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no checkpoint to resume from: local: .*; drive: .*; hf: /);

    // --if-any does not turn tiers that failed into "start from scratch": checkpoints exist, unreachable.
    fakes.drive.fail(503, { times: 1000, on: 'list' });
    fakes.hub.fail(503, { times: 1000 });
    try {
      r = await runCli(['sync', 'resume', '--latest', '--if-any', '-o', out, '--dir', dir, '--config', cfg, ...fakes.endpoints], fakes.env);
    } finally {
      fakes.drive.clearFaults();
      fakes.hub.clearFaults();
    }
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
  });

  test('resume --if-any on a first run (no state, no Drive folder, no Hub repo): exit 0, no path, "start from scratch"', async () => {
    const fresh = join(tmp, 'fresh');
    mkdirSync(fresh);
    const c = join(tmp, 'sync-fresh.json');
    writeConfig(c, { folder: 'Airlock/ckpt/never-ran', repo: 'alice/never-ran' });
    const base = ['sync', 'resume', '--latest', '-o', join(fresh, 'ckpt'), '--dir', fresh, '--config', c, ...fakes.endpoints];
    const strict = await runCli(base, fakes.env);
    assert.equal(strict.code, 1, 'without --if-any, nothing to resume is a failure');
    const r = await runCli([...base, '--if-any'], fakes.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', 'no path: nothing was restored');
    assert.match(r.stderr, /local: no sync state/);
    assert.match(r.stderr, /drive: the folder Airlock\/ckpt\/never-ran does not exist on Drive/);
    assert.match(r.stderr, /hf: alice\/never-ran does not exist on the Hub yet/);
    assert.match(r.stderr, /no checkpoint in any tier: start from scratch/);
    const j = await runCli([...base, '--if-any', '--json'], fakes.env);
    assert.equal(j.code, 0, j.stderr);
    assert.deepEqual(
      (JSON.parse(j.stdout) as { tier: null; skipped: { tier: string; empty: boolean }[] }).skipped.map((x) => [x.tier, x.empty]),
      [
        ['local', true],
        ['drive', true],
        ['hf', true],
      ],
    );
    // Without a Hub token the Hub tier failed rather than answered: not a first run.
    const noToken = await runCli([...base, '--if-any'], { ...fakes.env, HF_TOKEN: '', HF_HOME: join(tmp, 'no-hf-home') });
    assert.equal(noToken.code, 1, noToken.stderr);
    assert.match(noToken.stderr, /hf: /);
  });

  test('the disk guard warns, then stops writing the state file', async () => {
    const d2 = join(tmp, 'run2');
    mkdirSync(d2);
    const c2 = join(tmp, 'sync2.json');
    writeConfig(c2, { folder: 'Airlock/ckpt/run2', repo: 'alice/run2', extra: { diskWarnPct: 0.001, diskStopPct: 0.002 } });
    const w = startCli(['sync', 'watch', d2, '--config', c2, ...fakes.endpoints], fakes.env);
    await waitFor(
      'the stop warning',
      () => /stopped writing the state file/.test(w.out.join('')),
      30_000,
      () => w.out.join(''),
    );
    const s = readState(d2)!;
    assert.match(s.disk!.warning!, /stopped writing the state file/);
    writeFileSync(join(d2, 'a.pt'), randomBytes(1000));
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(readState(d2)!.files['a.pt'], undefined, 'no state write after the guard tripped');
    await killGroup(w, 'SIGTERM');
  });

  test('a bad config exits 2 naming the file, line and field', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{\n  "tiers": {\n    "hf": { "repo": "no-slash" }\n  }\n}\n');
    const r = await runCli(['sync', 'watch', dir, '--config', bad], fakes.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.json:3: tiers\.hf\.repo must be "namespace\/name"/);
  });
});
