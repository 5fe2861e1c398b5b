// The researcher's checkout after a worker pushed from elsewhere (real git, a bare remote): how far
// behind it is, whether it is clean, the fast-forward; and the .gitignore Airlock writes into the
// folders it fills with generated files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkoutState, fastForwardCheckout } from '../../../src/core/phases/checkoutSync';
import { generatedIgnore, ignoreGenerated } from '../../../src/core/fs/ignoreGenerated';

const sh = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('behind by what a worker pushed: clean → fast-forward; local changes are reported; untracked files are no obstacle', async () => {
  const root = mkdtempSync(join(tmpdir(), 'airlock-ff-'));
  try {
    sh(root, 'init', '-q', '--bare', '-b', 'main', 'remote.git');
    sh(root, 'clone', '-q', 'remote.git', 'mine');
    const mine = join(root, 'mine');
    writeFileSync(join(mine, 'notes.txt'), 'v1\n');
    sh(mine, 'add', '.');
    sh(mine, 'commit', '-qm', 'init');
    sh(mine, 'push', '-q', 'origin', 'HEAD:main');
    sh(mine, 'branch', '-q', '--set-upstream-to=origin/main');
    sh(root, 'clone', '-q', 'remote.git', 'worker');
    const worker = join(root, 'worker');
    for (const n of [1, 2]) {
      writeFileSync(join(worker, `result${n}.json`), '{}\n');
      sh(worker, 'add', '.');
      sh(worker, 'commit', '-qm', `finish e${n}`);
    }
    sh(worker, 'push', '-q', 'origin', 'HEAD:main');

    writeFileSync(join(mine, 'untracked.log'), 'x\n');
    writeFileSync(join(mine, 'notes.txt'), 'edited\n');
    assert.deepEqual(await checkoutState(mine), { upstream: 'origin/main', ahead: 0, behind: 2, clean: false });
    sh(mine, 'checkout', '-q', '--', 'notes.txt');
    assert.deepEqual(await checkoutState(mine), { upstream: 'origin/main', ahead: 0, behind: 2, clean: true });
    await fastForwardCheckout(mine);
    assert.deepEqual(await checkoutState(mine), { upstream: 'origin/main', ahead: 0, behind: 0, clean: true });
    assert.equal(readFileSync(join(mine, 'result2.json'), 'utf8'), '{}\n');

    // Diverged: no fast-forward is possible, and git says why.
    writeFileSync(join(mine, 'mine.txt'), 'm\n');
    sh(mine, 'add', '.');
    sh(mine, 'commit', '-qm', 'mine');
    writeFileSync(join(worker, 'result3.json'), '{}\n');
    sh(worker, 'add', '.');
    sh(worker, 'commit', '-qm', 'finish e3');
    sh(worker, 'push', '-q', 'origin', 'HEAD:main');
    assert.deepEqual(await checkoutState(mine), { upstream: 'origin/main', ahead: 1, behind: 1, clean: true });
    await assert.rejects(fastForwardCheckout(mine), /merge --ff-only/);

    sh(root, 'init', '-q', 'loose');
    assert.equal(await checkoutState(join(root, 'loose')), undefined, 'no upstream, nothing to offer');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('generated folders ignore themselves; a .gitignore the user wrote stays theirs', async () => {
  const root = mkdtempSync(join(tmpdir(), 'airlock-ignore-'));
  try {
    sh(root, 'init', '-q');
    await ignoreGenerated(join(root, 'collected_runs'));
    writeFileSync(join(root, 'collected_runs/inference.log'), 'x\n');
    assert.equal(readFileSync(join(root, 'collected_runs/.gitignore'), 'utf8'), generatedIgnore);
    assert.equal(sh(root, 'status', '--porcelain', '--untracked-files=all'), '', 'git sees nothing to commit');
    writeFileSync(join(root, 'collected_runs/.gitignore'), '*.log\n');
    await ignoreGenerated(join(root, 'collected_runs'));
    assert.equal(readFileSync(join(root, 'collected_runs/.gitignore'), 'utf8'), '*.log\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
