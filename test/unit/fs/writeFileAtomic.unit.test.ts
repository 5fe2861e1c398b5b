// writeFileAtomic and the commands that write through it, under a real "disk full": the child
// process runs with RLIMIT_FSIZE (`ulimit -f`) and SIGXFSZ ignored, so every write past the limit
// fails with EFBIG exactly as a full disk fails with ENOSPC — the previous file must survive.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cliBundle } from '../../support/cliBundle';
import { writeFileAtomic, writeFileAtomicSync, replaceFileWith } from '../../../src/core/fs/writeFileAtomic';

/** Runs the CLI bundle with files limited to `kb` KiB; SIGXFSZ ignored so writes fail with EFBIG instead of killing it. */
function cliWithFileLimit(kb: number, args: string[]) {
  const quoted = [process.execPath, cliBundle(), ...args].map((a) => `'${a.replace(/'/g, `'"'"'`)}'`).join(' ');
  return spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f ${kb}; exec ${quoted}`], { encoding: 'utf8' });
}

const c000 = resolve('test/fixtures/sweep/bloombee/case_000');
const tradeoffCase = `name=c0,client=${c000}/inference.log,server1=${c000}/server1.log,server2=${c000}/server2.log`;

describe('writeFileAtomic', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-atomic-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const leftovers = (d: string) => readdirSync(d).filter((f) => f.endsWith('.tmp'));

  test('overlapping writes to one path land in call order: the last one called is what stays (a sync state file stayed stale)', async () => {
    const target = join(dir, 'state.json');
    // Early writes are the big ones, so without ordering their fsync and rename finish last.
    const writes = Array.from({ length: 40 }, (_, i) => writeFileAtomic(target, `${i}\n${'x'.repeat((40 - i) * 64 * 1024)}`));
    await Promise.all(writes);
    assert.equal(readFileSync(target, 'utf8').split('\n')[0], '39');
    // A write that fails rejects on its own; the next one still lands.
    const bad = writeFileAtomic(join(dir, 'no-such-dir', 'f'), 'a');
    const after = writeFileAtomic(target, 'after\n');
    await assert.rejects(bad);
    await after;
    assert.equal(readFileSync(target, 'utf8'), 'after\n');
    assert.deepEqual(leftovers(dir), []);
  });

  test('notebook render -o: a write that fails (file size limit) leaves the previous output intact, no temp file', () => {
    const out = join(dir, 'render-out.ipynb');
    const previous = '{"previous": true}\n';
    writeFileSync(out, previous);
    // The template is 1.7 KiB, so rendering it cannot fit in 1 KiB.
    const r = cliWithFileLimit(1, ['notebook', 'render', 'test/fixtures/notebook/colab_template.ipynb', '-o', out]);
    assert.notEqual(r.status, 0, 'the write must fail under the limit');
    assert.match(r.stderr, /EFBIG|too large/i);
    assert.equal(readFileSync(out, 'utf8'), previous, 'the previous file survives');
    assert.deepEqual(leftovers(dir), []);
    // Control: without the limit the same command replaces it.
    const ok = cliWithFileLimit(1024, ['notebook', 'render', 'test/fixtures/notebook/colab_template.ipynb', '-o', out]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.ok(JSON.parse(readFileSync(out, 'utf8')).cells);
  });

  test('analyze tradeoff --output-csv: a failed write keeps the previous CSV (not 0 bytes)', () => {
    const csv = join(dir, 'tradeoff_matrix.csv');
    const previous = 'old,csv\r\n' + 'x'.repeat(3000) + '\r\n';
    writeFileSync(csv, previous);
    // The new CSV (~600 bytes) does not fit in 0 blocks.
    const r = cliWithFileLimit(0, ['analyze', 'tradeoff', '--case', tradeoffCase, '--output-csv', csv]);
    assert.notEqual(r.status, 0);
    assert.equal(readFileSync(csv, 'utf8'), previous);
    assert.deepEqual(leftovers(dir), []);
  });

  test('keeps the mode of the file it replaces; forceMode sets it exactly (secrets)', async () => {
    const f = join(dir, 'mode.txt');
    writeFileSync(f, 'a');
    chmodSync(f, 0o640);
    await writeFileAtomic(f, 'b');
    assert.equal(statSync(f).mode & 0o777, 0o640);
    chmodSync(f, 0o644);
    await writeFileAtomic(f, 'secret', { mode: 0o600, forceMode: true });
    assert.equal(statSync(f).mode & 0o777, 0o600);
    assert.equal(readFileSync(f, 'utf8'), 'secret');
  });

  test('a symlinked target is written through: the link stays a link (dotfiles repos)', async () => {
    const real = join(dir, 'real-config');
    const link = join(dir, 'link-config');
    writeFileSync(real, 'one\n');
    symlinkSync(real, link);
    await writeFileAtomic(link, 'two\n');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), real);
    assert.equal(readFileSync(real, 'utf8'), 'two\n');
    writeFileAtomicSync(link, 'three\n');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(real, 'utf8'), 'three\n');
  });

  test('replaceFileWith: a producer that fails leaves the target and no temp file', async () => {
    const f = join(dir, 'download.bin');
    writeFileSync(f, 'previous');
    await assert.rejects(
      replaceFileWith(f, async (tmp) => {
        writeFileSync(tmp, 'half');
        throw new Error('connection lost');
      }),
      /connection lost/,
    );
    assert.equal(readFileSync(f, 'utf8'), 'previous');
    assert.deepEqual(leftovers(dir), []);
    await replaceFileWith(f, async (tmp) => writeFileSync(tmp, 'complete'));
    assert.equal(readFileSync(f, 'utf8'), 'complete');
  });
});
