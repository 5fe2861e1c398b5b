// The notebook snippets `airlock-resume` and `airlock-sync` as a notebook runs them: each cell,
// inserted with its defaults and its form set the way `airlock notebook render --set` sets it, runs
// in python3 (no Colab here: tokens come from the environment, as the cell falls back to). The
// sync cell starts the bundled CLI in the background against the fake Drive and the fake Hub; a
// checkpoint written by "training" reaches both; the resume cell restores it after the local copy
// is lost, and on a first run says so instead of failing.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findFormParams, rewriteFormLine } from '../../../src/core/notebook/colabForm';
import { cliBundle } from '../../support/cliBundle';
import { snippetText } from '../../support/snippets';
import { hfToken, readState, sha, startFakes, waitFor, writeConfig, type Fakes } from './syncSupport';

const python = spawnSync('python3', ['--version']).error ? 'python3 is not installed' : undefined;

/** The cell with its form parameters set (strings quoted, raw as Python source), as render does. */
function cell(prefix: string, values: Record<string, string>): string {
  const lines = snippetText('notebook.code-snippets', prefix).split('\n');
  for (const p of findFormParams(lines, 0)) if (p.name in values) lines[p.line] = rewriteFormLine(lines[p.line]!, p, values[p.name]!);
  return lines.join('\n');
}

describe('the sync and resume notebook cells', { skip: python, timeout: 180_000 }, () => {
  let tmp: string;
  let fakes: Fakes;
  let syncPid: number | undefined;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'airlock-sync-snippet-'));
    fakes = await startFakes(tmp);
  });
  after(async () => {
    if (syncPid)
      try {
        process.kill(-syncPid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    await fakes?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('resume on a first run starts from scratch; the sync cell uploads in the background; resume restores from Drive', async () => {
    const ckpt = join(tmp, 'content', 'checkpoints');
    const config = join(tmp, 'sync.json');
    writeConfig(config, { folder: 'Airlock/runs/snippet', repo: 'alice/snippet' });
    const form = {
      CKPT_DIR: ckpt,
      AIRLOCK_CLI: cliBundle(),
      SYNC_CONFIG: config,
      SYNC_ARGS: JSON.stringify(fakes.endpoints),
    };
    // Not spawnSync: the fakes answer from this process's event loop.
    const run = (code: string) =>
      new Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }>((resolve) => {
        const child = spawn('python3', ['-c', code], { env: { ...process.env, ...fakes.env }, timeout: 60_000 });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d));
        child.stderr.on('data', (d: Buffer) => (stderr += d));
        child.on('error', (error) => resolve({ status: null, stdout, stderr, error }));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const resumeCell = cell('airlock-resume', form);
    const syncCell = cell('airlock-sync', form);
    assert.ok(!resumeCell.includes(hfToken) && !syncCell.includes(hfToken), 'no token in the cells');

    // First run: nothing anywhere, and every tier said so.
    let r = await run(`${resumeCell}\nprint("RESUME_FROM=" + repr(RESUME_FROM))`);
    assert.equal(r.status, 0, `${r.error?.message ?? ''}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /first run: starting from scratch/);
    assert.match(r.stdout, /RESUME_FROM=None/);

    r = await run(syncCell);
    assert.equal(r.status, 0, `${r.error?.message ?? ''}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /checkpoint sync running \(pid \d+\)/);
    syncPid = Number(readFileSync(join(ckpt, '.airlock', 'watch.pid'), 'utf8'));
    assert.ok(syncPid > 0);
    const log = () => (existsSync(join(ckpt, '.airlock', 'watch.log')) ? readFileSync(join(ckpt, '.airlock', 'watch.log'), 'utf8') : '');
    // The cell has returned and its python exited: the sync keeps running on its own.
    process.kill(syncPid, 0);

    // "Training" writes a checkpoint the safe way (temp name, then rename).
    mkdirSync(ckpt, { recursive: true });
    const body = randomBytes(300_000);
    writeFileSync(join(ckpt, 'step_1.pt.tmp'), body);
    renameSync(join(ckpt, 'step_1.pt.tmp'), join(ckpt, 'step_1.pt'));
    await waitFor(
      'step_1.pt confirmed on Drive and on the Hub',
      () => {
        const t = readState(ckpt)?.files['step_1.pt']?.tiers;
        return t?.drive?.status === 'confirmed' && t?.hf?.status === 'confirmed';
      },
      60_000,
      log,
    );
    assert.equal(readState(ckpt)!.files['step_1.pt']!.sha256, sha(body));
    assert.ok(!log().includes(hfToken), 'the token is not in the sync log');

    // The runtime lost its disk copy: the resume cell brings it back, from Drive.
    unlinkSync(join(ckpt, 'step_1.pt'));
    r = await run(`${resumeCell}\nprint("RESUME_FROM=" + repr(RESUME_FROM))`);
    assert.equal(r.status, 0, `${r.error?.message ?? ''}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /resumed step_1\.pt from drive/);
    assert.match(r.stdout, new RegExp(`RESUME_FROM='${join(ckpt, 'step_1.pt')}'`));
    assert.deepEqual(readFileSync(join(ckpt, 'step_1.pt')), body);

    // A tier that fails is not a first run: the cell stops rather than train from scratch.
    unlinkSync(join(ckpt, 'step_1.pt'));
    fakes.drive.fail(503, { times: 1000, on: 'list' });
    fakes.hub.fail(503, { times: 1000 });
    try {
      r = await run(resumeCell);
    } finally {
      fakes.drive.clearFaults();
      fakes.hub.clearFaults();
    }
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /airlock sync resume failed \(exit 1\)/);

    process.kill(-syncPid, 'SIGTERM');
    await waitFor('the sync to stop', () => {
      try {
        process.kill(syncPid!, 0);
        return false;
      } catch {
        return true;
      }
    });
    syncPid = undefined;
  });
});
