import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRunner, localHostSpec } from '../../../src/core/hosts/localRunner';
import { CancelledError } from '../../../src/core/process/errors';

describe('LocalRunner (the built-in local host)', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'airlock-local-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('is the builtin "local" host and runs commands with env, cwd and streaming', async () => {
    const runner = new LocalRunner();
    assert.deepEqual(runner.host, localHostSpec());
    assert.equal(runner.host.name, 'local');
    const lines: string[] = [];
    const r = await runner.exec('echo "$X"; pwd; exit 3', { env: { X: 'x-value' }, cwd: dir, onStdout: (l) => lines.push(l) });
    assert.equal(r.code, 3);
    assert.deepEqual(lines, ['x-value', dir]);
  });

  test('upload and download copy files, creating parent directories', async () => {
    const runner = new LocalRunner();
    writeFileSync(join(dir, 'a.txt'), 'payload');
    await runner.upload(join(dir, 'a.txt'), join(dir, 'up', 'b.txt'));
    await runner.download(join(dir, 'up', 'b.txt'), join(dir, 'down', 'deeper', 'c.txt'));
    assert.equal(readFileSync(join(dir, 'down', 'deeper', 'c.txt'), 'utf8'), 'payload');
    const ctl = new AbortController();
    ctl.abort();
    await assert.rejects(runner.download(join(dir, 'a.txt'), join(dir, 'x.txt'), ctl.signal), CancelledError);
  });
});
