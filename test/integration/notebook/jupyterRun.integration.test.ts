// Notebooks executed on a real Jupyter server with a real ipykernel: outputs streamed and written,
// the first failing cell reported with its traceback, timeout and cancel stop the kernel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runNotebook, type RunCellEvent } from '../../../src/core/notebook/jupyterRun';
import { jupyterSkipReason, startJupyter, type JupyterTestServer } from '../../support/jupyterServer';

const nb = (...cells: string[]) => ({
  cells: cells.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
  nbformat: 4,
  nbformat_minor: 5,
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
      serverUrl: j.url,
      token: j.token,
      onEvent: (e) => e.type === 'output' && lines.push(e),
    });
    assert.equal(r.error, undefined);
    assert.equal(r.executed, 3);
    assert.deepEqual(
      lines.map((e) => `${e.stream}:${e.line}`),
      ['stdout:hello', 'stdout:world', 'stdout:42', 'stderr:warn'],
    );
    const cells = r.notebook.cells as { outputs: Record<string, unknown>[]; execution_count: number }[];
    assert.deepEqual(cells[0]!.outputs, [{ output_type: 'stream', name: 'stdout', text: 'hello\nworld\n' }]);
    assert.equal((cells[1]!.outputs[0]!.data as Record<string, string>)['text/plain'], '42');
    assert.deepEqual(
      cells.map((c) => c.execution_count),
      [1, 2, 3],
    );
  });

  test('cells are counted among the code cells: a markdown cell first makes no "cell 5/4"', async () => {
    const book = nb('a = 1', 'b = 2');
    book.cells.unshift({ cell_type: 'markdown', execution_count: null, metadata: {}, outputs: [], source: '# title' });
    const events: RunCellEvent[] = [];
    const r = await runNotebook(book, { serverUrl: j.url, token: j.token, onEvent: (e) => e.type !== 'output' && e.type !== 'kernel' && events.push(e) });
    assert.equal(r.executed, 2);
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.cell + 1}/${e.total} @${e.index}`),
      ['cell-start 1/2 @1', 'cell-done 1/2 @1', 'cell-start 2/2 @2', 'cell-done 2/2 @2'],
    );
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
      serverUrl: j.url,
      token: j.token,
      signal: ctl.signal,
      onEvent: (e) => e.line === 'go' && ctl.abort(),
    });
    await assert.rejects(started, (e: Error) => e.name === 'CancelledError');
    const kernels = (await (await fetch(`${j.url}api/kernels?token=${j.token}`)).json()) as unknown[];
    assert.deepEqual(kernels, []);
  });
});

describe('airlock notebook CLI', { skip: jupyterSkipReason(), timeout: 180_000 }, () => {
  let j: JupyterTestServer;
  before(async () => {
    j = await startJupyter();
  });
  after(async () => {
    await j?.stop();
  });

  test('render then run: the rendered parameters reach the kernel; a failing cell exits 1 with its traceback', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { cliBundle } = await import('../../support/cliBundle');
    const dir = mkdtempSync(join(tmpdir(), 'airlock-nb-'));
    const tpl = join(dir, 'tpl.ipynb');
    writeFileSync(
      tpl,
      JSON.stringify(
        nb('STEPS = 3 #@param {type:"integer"}\nNAME = "a" #@param {type:"string"}', 'print(NAME * STEPS)', 'assert STEPS < 5, "too many steps"'),
        null,
        1,
      ),
    );
    const cli = (...args: string[]) => spawnSync(process.execPath, [cliBundle(), 'notebook', ...args], { encoding: 'utf8' });
    assert.equal(cli('render', tpl, '--set', 'NAME=xy', '-o', join(dir, 'ok.ipynb')).status, 0);
    // The token comes from a file (as the docs say), never from the command line.
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${j.token}\n`, { mode: 0o600 });
    const ok = cli('run', join(dir, 'ok.ipynb'), '--server', j.url, '--token-file', tokenFile, '-o', join(dir, 'ok.out.ipynb'));
    assert.equal(ok.status, 0, ok.stderr);
    assert.doesNotMatch(ok.stderr, /deprecated/);
    assert.match(ok.stdout, /^xyxyxy$/m);
    assert.match(readFileSync(join(dir, 'ok.out.ipynb'), 'utf8'), /"execution_count": 3/);
    assert.equal(cli('render', tpl, '--set', 'STEPS=9', '-o', join(dir, 'bad.ipynb')).status, 0);
    // --token still works, with a warning saying why not to use it.
    const bad = cli('run', join(dir, 'bad.ipynb'), '--server', j.url, '--token', j.token);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--token is deprecated: the token is visible to every user in `ps`/);
    assert.match(bad.stderr, /failed in cell 3\/3: AssertionError: too many steps/);
    const missing = cli('run', join(dir, 'ok.ipynb'), '--server', j.url, '--token-file', join(dir, 'nope'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--token-file .*nope: cannot be read \(ENOENT\)/);
    assert.match(bad.stderr, /Traceback|assert STEPS < 5/);
    const unknown = cli('render', tpl, '--set', 'EPOCHS=2', '-o', join(dir, 'x.ipynb'));
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /has no parameter "EPOCHS"; its parameters are STEPS \(integer\), NAME \(string\)/);
  });

  test('the quick-check example: rendered, run with live progress, results written; FAIL=true stops at its cell with the traceback', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { cliBundle } = await import('../../support/cliBundle');
    const dir = mkdtempSync(join(tmpdir(), 'airlock-nb-'));
    // Asynchronous: the run's output must be seen while it happens, not only at the end.
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string; atFirstStep: string }>((resolve) => {
        // The token by environment variable, the other documented way.
        const child = spawn(process.execPath, [cliBundle(), 'notebook', ...args], { env: { ...process.env, JUPYTER_TOKEN: j.token } });
        let stdout = '';
        let stderr = '';
        let atFirstStep = '';
        child.stdout.on('data', (d: Buffer) => {
          stdout += d;
          if (!atFirstStep && /step 1\//.test(stdout)) atFirstStep = stdout;
        });
        child.stderr.on('data', (d: Buffer) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr, atFirstStep }));
      });
    const tpl = 'examples/notebooks/quick_check_template.ipynb';
    assert.equal((await cli('render', tpl, '--set', 'STEPS=4', '--set', 'DELAY_SEC=0.3', '--set', 'LABEL=ci', '-o', join(dir, 'q.ipynb'))).code, 0);
    const ok = await cli('run', join(dir, 'q.ipynb'), '--server', j.url, '-o', join(dir, 'q.out.ipynb'));
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^ci: 4 steps \(fast\)/m);
    assert.match(ok.stdout, /^step 4\/4 loss=0\.25$/m);
    assert.doesNotMatch(ok.stdout, /Starting WebSocket|Kernel: /, 'no client-library debug lines in the output');
    // Order, not a stopwatch: when the first step reached us, the last one had not been printed yet.
    assert.match(ok.atFirstStep, /step 1\//);
    assert.doesNotMatch(ok.atFirstStep, /step 4\/4/, 'the first step was printed while later steps still ran');
    const written = /^wrote (.+results\.json)$/m.exec(ok.stdout)?.[1];
    assert.ok(written, ok.stdout);
    assert.match(readFileSync(written, 'utf8'), /"best_loss": 0\.25/);
    assert.equal((await cli('render', tpl, '--set', 'FAIL=true', '--set', 'DELAY_SEC=0', '-o', join(dir, 'f.ipynb'))).code, 0);
    const bad = await cli('run', join(dir, 'f.ipynb'), '--server', j.url);
    assert.equal(bad.code, 1);
    // The quick check's four code cells after a markdown cell: counted among the code cells, as its progress is.
    assert.match(bad.stderr, /failed in cell 3\/4: ValueError: FAIL was set: refusing 3 losses/);
    assert.deepEqual(
      [...ok.stderr.matchAll(/^\[cell (\d+\/\d+)\] running$/gm)].map((m) => m[1]),
      ['1/4', '2/4', '3/4', '4/4'],
    );
    assert.match(bad.stderr, /raise ValueError/);
  });
});
