// The chaos test: a fake training loop writes a checkpoint every ~300 ms (temp file + rename) for
// ~40 s while the sync is SIGKILLed and restarted and the fakes drop connections, cut uploads
// halfway and answer 429/5xx. Afterwards every checkpoint the retention rule requires is in its
// tiers with the right hash, none was uploaded twice, and the local disk holds only what the rule
// allows (the newest keepLocal).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { driveFiles, killGroup, killStarted, readState, sha, startCli, startFakes, waitFor, writeConfig, type Fakes } from './syncSupport';

describe('sync chaos: SIGKILLs, dropped connections, cut uploads', { timeout: 170_000 }, () => {
  let fakes: Fakes;
  let tmp: string;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'airlock-chaos-'));
    fakes = await startFakes(tmp);
  });
  after(async () => {
    await killStarted();
    await fakes.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('every required checkpoint ends up in its tiers with the right hash, once; local disk as the rule allows', async () => {
    const dir = join(tmp, 'run');
    mkdirSync(join(dir, 'ckpt'), { recursive: true });
    const cfg = join(tmp, 'sync.json');
    const keepLocal = 3;
    writeConfig(cfg, { folder: 'Airlock/chaos', repo: 'alice/chaos', keepLocal, intervalSec: 0.3 });
    const args = ['sync', 'watch', dir, '--config', cfg, ...fakes.endpoints];
    const written = new Map<string, string>();
    let step = 0;
    let training = true;
    const loop = (async () => {
      while (training) {
        step++;
        const name = `ckpt/step_${String(step).padStart(4, '0')}.pt`;
        const body = randomBytes(step % 5 === 0 ? 1_300_000 : 150_000 + (step % 7) * 20_000); // some multipart
        writeFileSync(join(dir, `${name}.tmp`), body);
        renameSync(join(dir, `${name}.tmp`), join(dir, name));
        written.set(name, sha(body));
        await new Promise((r) => setTimeout(r, 500));
      }
    })();

    let sync = startCli(args, fakes.env);
    const logs: string[] = [];
    const end = Date.now() + 30_000;
    let round = 0;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, 2500 + (round % 3) * 1000));
      round++;
      switch (round % 5) {
        case 0:
          fakes.hub.interruptUpload(60_000, 2);
          fakes.drive.interruptUpload(100_000, 1);
          break;
        case 1:
          fakes.hub.fail(503, { on: 'commit', times: 2 });
          fakes.drive.fail(500, { on: 'upload', times: 2 });
          break;
        case 2:
          fakes.hub.setDown(true);
          setTimeout(() => fakes.hub.setDown(false), 1500);
          break;
        case 3:
          fakes.hub.fail(429, { on: 'preupload', retryAfterSec: 1 });
          break;
      }
      // The sync dies without a chance to clean up, mid-whatever, and comes back.
      await killGroup(sync, 'SIGKILL');
      logs.push(...sync.out);
      sync = startCli(args, fakes.env);
    }
    training = false;
    await loop;
    fakes.hub.clearFaults();
    fakes.drive.clearFaults();
    const all = [...written.keys()].sort();
    const newest = all.slice(-keepLocal);
    const confirmedEverywhere = (s = readState(dir)) =>
      s &&
      all.every((n) => {
        const f = s.files[n];
        return f && f.tiers.drive?.status === 'confirmed' && f.tiers.hf?.status === 'confirmed';
      }) &&
      all.filter((n) => !s.files[n]!.localDeletedAt).length === keepLocal;
    const summary = () => {
      const s = readState(dir);
      const bad = all.filter((n) => !(s?.files[n]?.tiers.drive?.status === 'confirmed' && s.files[n]!.tiers.hf?.status === 'confirmed'));
      return `not confirmed: ${bad.length} ${JSON.stringify(bad.slice(0, 3).map((n) => [n, s?.files[n]]))}; kept ${all.filter((n) => s?.files[n] && !s.files[n]!.localDeletedAt).length}; disk ${JSON.stringify(s?.disk)}\n${sync.out.join('').slice(-3000)}`;
    };
    await waitFor('every checkpoint confirmed and retention settled', () => confirmedEverywhere(), 90_000, summary);
    await killGroup(sync, 'SIGTERM');

    assert.ok(all.length >= 30, `the loop wrote ${all.length} checkpoints`);
    assert.ok(round >= 6, `${round} SIGKILLs`);
    const repo = fakes.hub.repo('model', 'alice/chaos')!;
    for (const n of all) {
      assert.equal(repo.files.get(n)?.lfs?.oid, written.get(n), `${n} on the Hub with its hash`);
      assert.equal(repo.commits.filter((c) => c.paths.includes(n)).length, 1, `${n} committed once`);
      const onDrive = driveFiles(fakes.drive, 'Airlock/chaos/ckpt', n.split('/')[1]!);
      assert.equal(onDrive.length, 1, `${n} on Drive once`);
      assert.equal(sha(onDrive[0]!.content!), written.get(n), `${n} on Drive with its hash`);
      assert.equal(driveFiles(fakes.drive, 'Airlock/chaos/ckpt', `${n.split('/')[1]!}.sha256`).length, 1);
    }
    const local = readdirSync(join(dir, 'ckpt')).filter((f) => f.endsWith('.pt'));
    assert.deepEqual(
      local.sort(),
      newest.map((n) => n.split('/')[1]!),
      'the local disk holds the newest keepLocal checkpoints only',
    );
    for (const n of newest) assert.equal(sha(readFileSync(join(dir, n))), written.get(n));
    assert.equal(existsSync(join(dir, '.airlock', 'sync-state.json')), true);
  });
});
