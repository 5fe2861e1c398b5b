// The status writer render injects, executed by a real ipykernel: the notebook itself reports
// running → done (or failed with the exception and traceback) to airlock_status.json — the file
// Airlock polls on Drive for a Colab run.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runNotebook } from '../../../src/core/notebook/jupyterRun';
import { renderNotebook } from '../../../src/core/notebook/render';
import { outputFileName, parseRunStatus, statusFileName, type RunStatus } from '../../../src/core/notebook/statusWriter';
import { jupyterSkipReason, startJupyter, type JupyterTestServer } from '../../support/jupyterServer';

const template = (...cells: string[]) =>
  JSON.stringify(
    {
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Run\n'] },
        ...cells.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
      ],
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );

describe('status writer on a real kernel', { skip: jupyterSkipReason(), timeout: 120_000 }, () => {
  let j: JupyterTestServer;
  before(async () => {
    j = await startJupyter();
  });
  after(async () => {
    await j?.stop();
  });

  async function run(text: string, runId: string, extra: { requireGpu?: string; heartbeatSec?: number } = {}, onLine?: (l: string) => void) {
    const runDir = join(j.root, 'runs', runId);
    const rendered = await renderNotebook(text, 'nb.ipynb', { set: {}, status: { runId, runDir, mountDrive: true, ...extra } });
    const result = await runNotebook(JSON.parse(rendered.text) as Record<string, unknown>, {
      serverUrl: j.url,
      token: j.token,
      onEvent: (e) => e.line && onLine?.(e.line),
    });
    const file = join(runDir, statusFileName);
    return { result, file, status: existsSync(file) ? parseRunStatus(readFileSync(file, 'utf8')) : undefined };
  }

  test('a successful run ends "done" with every code cell counted; results can use AIRLOCK_RUN_DIR', async () => {
    const { result, status, file } = await run(template('x = 2', 'open(AIRLOCK_RUN_DIR + "/results.json", "w").write(str(x * 21))'), 'ok-1');
    assert.equal(result.error, undefined);
    assert.equal(status?.state, 'done');
    assert.equal(status?.run, 'ok-1');
    assert.equal(status?.cell, 4);
    assert.equal(status?.total, 4, "two template cells + Airlock's two");
    assert.equal(status?.error, null);
    assert.match(status!.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(readFileSync(join(file, '..', 'results.json'), 'utf8'), '42');
  });

  test('a failing cell writes "failed" with the exception, its traceback and which cell', async () => {
    const { result, status } = await run(template('a = 1', 'def f():\n    return {}["missing"]\nf()', 'print("never")'), 'fail-1');
    assert.equal(result.error?.ename, 'KeyError');
    assert.deepEqual(
      { state: status?.state, cell: status?.cell, total: status?.total, error: status?.error },
      { state: 'failed', cell: 3, total: 5, error: "KeyError: 'missing'" },
    );
    assert.match(status!.traceback!, /Traceback[\s\S]*return \{\}\["missing"\]/);
  });

  test(
    'a GPU-requiring run on a machine without one fails at once with NoGpu',
    { skip: existsSync('/usr/bin/nvidia-smi') ? 'this machine has a GPU' : undefined },
    async () => {
      const { result, status } = await run(template('print("training")'), 'gpu-1', { requireGpu: 'T4' });
      assert.equal(result.executed, 1, 'stops in the status cell');
      assert.equal(status?.state, 'failed');
      assert.match(status!.error!, /NoGpu: this runtime has no GPU \(the run asked for T4\)/);
    },
  );

  test('what the notebook prints is teed to airlock_output.log while a cell runs, and still shows in the notebook', async () => {
    const runDir = join(j.root, 'runs', 'out-1');
    const file = join(runDir, outputFileName);
    let midCell = '';
    const poll = setInterval(() => {
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (/step 0/.test(text) && !/step 2/.test(text)) midCell = text;
    }, 50);
    const lines: string[] = [];
    const { result, status } = await run(
      template(
        'print("epoch 1 loss 0.25")',
        'import sys\nprint("careful: ünïcode", file=sys.stderr)',
        'import time\nfor i in range(3):\n    print(f"step {i}", flush=True)\n    time.sleep(0.5)',
      ),
      'out-1',
      { heartbeatSec: 0.2 },
      (l) => lines.push(l),
    );
    clearInterval(poll);
    assert.equal(result.error, undefined);
    assert.equal(status?.state, 'done');
    assert.ok(lines.includes('epoch 1 loss 0.25') && lines.includes('step 2'), 'the notebook still shows its output');
    assert.match(midCell, /step 0/, 'the log grows while the long cell runs, not only at its end');
    const log = readFileSync(file, 'utf8');
    assert.match(log, /Airlock: run out-1 reports to .*\nepoch 1 loss 0\.25\ncareful: ünïcode\nstep 0\nstep 1\nstep 2\n/);
  });

  test('the heartbeat rewrites the status during a long cell (a stale one means the runtime is gone)', async () => {
    const seen: RunStatus[] = [];
    const mtimes = new Set<number>();
    const runDir = join(j.root, 'runs', 'beat-1');
    const poll = setInterval(() => {
      const f = join(runDir, statusFileName);
      if (!existsSync(f)) return;
      mtimes.add(statSync(f).mtimeMs);
      const s = parseRunStatus(readFileSync(f, 'utf8'));
      if (s) seen.push(s);
    }, 50);
    await run(template('import time\ntime.sleep(1.5)'), 'beat-1', { heartbeatSec: 0.2 });
    clearInterval(poll);
    // Events, not a count per second: while the long cell runs (one cell finished), the heartbeat rewrites the
    // file with new heartbeat stamps, and only then does the run end.
    const beats = new Set(seen.filter((s) => s.state === 'running' && s.cell === 1 && s.heartbeatAt).map((s) => s.heartbeatAt));
    assert.ok(beats.size >= 2, `heartbeats seen during the long cell: ${[...beats].join(', ')} (${mtimes.size} writes)`);
    const lastBeat = seen.map((s) => s.state === 'running' && s.cell === 1).lastIndexOf(true);
    assert.ok(lastBeat >= 0 && lastBeat < seen.findIndex((s) => s.state === 'done'), 'the heartbeats came before the end');
    assert.ok(
      seen.some((s) => s.state === 'running' && s.cell === 1),
      'running after the status cell',
    );
    assert.equal(seen.at(-1)?.state, 'done');
  });
});
