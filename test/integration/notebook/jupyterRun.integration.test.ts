// Notebooks executed on a real Jupyter server with a real ipykernel: outputs streamed and written,
// the first failing cell reported with its traceback, timeout and cancel stop the kernel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runNotebook, type RunCellEvent } from '../../../src/core/notebook/jupyterRun';
import { jupyterSkipReason, startJupyter, type JupyterTestServer } from '../../support/jupyterServer';

const nb = (...cells: string[]) => ({
  cells: cells.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } }, nbformat: 4, nbformat_minor: 5,
});

describe('notebook run on a real Jupyter server', { skip: jupyterSkipReason(), timeout: 180_000 }, () => {
  let j: JupyterTestServer;
  before(async () => {
    j = await startJupyter();
  });
  after(async () => {
    await j?.stop();
  });

  test('cells run in order; stdout streams line by line; results and execution counts are written', async () => {
    const lines: RunCellEvent[] = [];
    const r = await runNotebook(nb('x = 6 * 7\nprint("hello")\nprint("world")', 'x', 'import sys; print("warn", file=sys.stderr)'), {
      serverUrl: j.url, token: j.token, onEvent: (e) => e.type === 'output' && lines.push(e),
    });
    assert.equal(r.error, undefined);
    assert.equal(r.executed, 3);
    assert.deepEqual(lines.map((e) => `${e.stream}:${e.line}`), ['stdout:hello', 'stdout:world', 'stdout:42', 'stderr:warn']);
    const cells = r.notebook.cells as { outputs: Record<string, unknown>[]; execution_count: number }[];
    assert.deepEqual(cells[0]!.outputs, [{ output_type: 'stream', name: 'stdout', text: 'hello\nworld\n' }]);
    assert.equal((cells[1]!.outputs[0]!.data as Record<string, string>)['text/plain'], '42');
    assert.deepEqual(cells.map((c) => c.execution_count), [1, 2, 3]);
  });

  test('the first failing cell stops the run and is reported with its traceback', async () => {
    const r = await runNotebook(nb('a = 1', 'def f():\n    return 1 / 0\nf()', 'print("never")'), { serverUrl: j.url, token: j.token });
    assert.equal(r.executed, 2);
    assert.equal(r.error?.cell, 1);
    assert.equal(r.error?.ename, 'ZeroDivisionError');
    assert.match(r.error!.traceback.join('\n'), /1 \/ 0/);
    assert.doesNotMatch(r.error!.traceback.join('\n'), /\x1b\[/, 'ANSI colours are stripped'); // eslint-disable-line no-control-regex
    const cells = r.notebook.cells as { outputs: unknown[] }[];
    assert.deepEqual(cells[2]!.outputs, [], 'later cells did not run');
  });

  test('a timeout interrupts and shuts the kernel down; a bad token is a clear error', async () => {
    const r = await runNotebook(nb('import time\nfor i in range(600):\n    time.sleep(0.1)'), { serverUrl: j.url, token: j.token, timeoutMs: 2000 });
    assert.equal(r.timedOut, true);
    const kernels = (await (await fetch(`${j.url}api/kernels?token=${j.token}`)).json()) as unknown[];
    assert.deepEqual(kernels, [], 'no kernel left running');
    await assert.rejects(runNotebook(nb('1'), { serverUrl: j.url, token: 'wrong' }), /refused the token/);
  });

  test('cancel stops the kernel and rejects with CancelledError', async () => {
    const ctl = new AbortController();
    const started = runNotebook(nb('import time\nprint("go", flush=True)\ntime.sleep(60)'), {
      serverUrl: j.url, token: j.token, signal: ctl.signal, onEvent: (e) => e.line === 'go' && ctl.abort(),
    });
    await assert.rejects(started, (e: Error) => e.name === 'CancelledError');
    const kernels = (await (await fetch(`${j.url}api/kernels?token=${j.token}`)).json()) as unknown[];
    assert.deepEqual(kernels, []);
  });
});
