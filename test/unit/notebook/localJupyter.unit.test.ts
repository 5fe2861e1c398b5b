// Finding the Jupyter servers running on this machine from their runtime files.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findLocalJupyterServers, jupyterRuntimeDir } from '../../../src/core/notebook/localJupyter';

test('running servers are offered with their URL and token; files of servers that are gone, and junk, are not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-jpruntime-'));
  writeFileSync(
    join(dir, `jpserver-${process.pid}.json`),
    JSON.stringify({ url: 'http://localhost:8888', token: 'abc', pid: process.pid, root_dir: '/home/me/lab' }),
  );
  writeFileSync(join(dir, 'jpserver-99999999.json'), JSON.stringify({ url: 'http://localhost:8889/', token: 'old', pid: 99_999_999 }));
  writeFileSync(join(dir, 'jpserver-1.json'), '{ half a file');
  writeFileSync(join(dir, `jpserver-${process.pid}-open.html`), '<html>');
  assert.deepEqual(await findLocalJupyterServers(dir), [{ url: 'http://localhost:8888/', token: 'abc', pid: process.pid, root: '/home/me/lab' }]);
  assert.deepEqual(await findLocalJupyterServers(join(dir, 'missing')), [], 'no runtime directory: no servers');
});

test('the runtime directory as Jupyter resolves it', () => {
  assert.equal(jupyterRuntimeDir({ JUPYTER_RUNTIME_DIR: '/r' }, 'linux', '/h'), '/r');
  assert.equal(jupyterRuntimeDir({ JUPYTER_DATA_DIR: '/d' }, 'linux', '/h'), '/d/runtime');
  assert.equal(jupyterRuntimeDir({}, 'linux', '/h'), '/h/.local/share/jupyter/runtime');
  assert.equal(jupyterRuntimeDir({ XDG_DATA_HOME: '/x' }, 'linux', '/h'), '/x/jupyter/runtime');
  assert.equal(jupyterRuntimeDir({}, 'darwin', '/h'), '/h/Library/Jupyter/runtime');
});
