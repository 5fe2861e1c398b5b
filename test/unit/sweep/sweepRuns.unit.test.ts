// Core owns every sweep run: SweepRuns starts, cancels and reports runs for the editor and the CLI,
// SweepRun folds the events into what the Sweeps view shows, and the run builds its own runners —
// `local` roles run in the caller's folder (the SSH side: test/integration/sweep/sweepHosts.integration.test.ts).
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSweepConfigText } from '../../../src/core/sweep/sweepConfig';
import { runSweep } from '../../../src/core/sweep/runSweep';
import { SweepRun } from '../../../src/core/sweep/sweepRun';
import { looksLikeSweepConfig, sweepOutcome, SweepRuns } from '../../../src/core/sweep/sweepRuns';
import type { SweepEvent } from '../../../src/core/sweep/sweepEvents';

const root = mkdtempSync(join(tmpdir(), 'airlock-sweep-runs-'));
after(() => rmSync(root, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond: () => boolean, ms = 20_000): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await sleep(50)) if (cond()) return true;
  return cond();
}

/** A sequenced sweep on this machine: one background role that idles, one foreground client. */
function config(dir: string, client: string, schedule: Record<string, unknown> = {}, hostDefaults: Record<string, unknown> = { repo_dir: dir }) {
  mkdirSync(dir, { recursive: true });
  return parseSweepConfigText(
    JSON.stringify({
      roles: { background: ['server1'], foreground: 'client' },
      host_defaults: hostDefaults,
      hosts: { server1: { host: 'local' }, client: { host: 'local' } },
      schedule: {
        wait_after_server1_sec: 0,
        inter_case_sec: 0,
        teardown_wait_sec: 0,
        results_root: join(dir, 'remote'),
        run_tag: 't',
        stop_grace_sec: 1,
        ...schedule,
      },
      commands: { server1: 'while true; do sleep 0.2; done', client },
      cases: [{ name: 'only', vars: {} }],
    }),
    join(dir, 'sweep.json'),
  );
}

describe('SweepRun (the progress the Sweeps view and the status bar show)', () => {
  test('folds plan, case, role, file and end events into cases, roles, progress and matrices', () => {
    const run = new SweepRun('/w/sweep.json', 3);
    const ref = { caseIndex: 0, caseName: 'a', caseTag: 't_000_a' };
    const events: SweepEvent[] = [
      {
        type: 'plan',
        at: 1,
        mode: 'sequenced',
        runTag: 't',
        localRoot: '/w/out',
        resultsRoot: '/r',
        dryRun: false,
        shared: null,
        cases: [
          {
            ...ref,
            roles: [
              { role: 'server1', host: 'h1', foreground: false },
              { role: 'client', host: 'h2', foreground: true },
            ],
          },
          { caseIndex: 1, caseName: 'b', caseTag: 't_001_b', roles: [] },
        ],
      },
      { type: 'case', at: 2, ...ref, state: 'starting' },
      { type: 'role', at: 3, ...ref, role: 'server1', host: 'h1', state: 'running', pid: 42, startedAt: 3 },
    ];
    for (const e of events) run.apply(e);
    assert.equal(run.id, 'sweep-3');
    assert.deepEqual(run.current, { caseIndex: 0, role: 'server1' });
    assert.deepEqual(run.progress.current?.name, 'a');
    assert.equal(run.progress.total, 2);
    const role = run.apply({ type: 'log', at: 4, ...ref, role: 'server1', host: 'h1', line: 'x' });
    assert.equal(role?.pid, 42, "a log line names its role (the editor streams it into that role's log)");
    run.apply({ type: 'case', at: 5, ...ref, state: 'failed', reason: 'client exited 1' });
    run.apply({ type: 'file', at: 6, path: '/w/out/t/sweep_matrix.csv', kind: 'sweep-matrix' });
    run.apply({ type: 'file', at: 6, path: '/w/out/t_000_a/summary.txt', kind: 'summary' });
    run.apply({ type: 'end', at: 7, cancelled: false, cases: [{ ...ref, state: 'failed', reason: 'client exited 1' }] });
    assert.equal(run.state, 'failed');
    assert.equal(run.endedAt, 7);
    assert.equal(run.current, undefined);
    assert.deepEqual(run.progress, { done: 1, total: 2, current: undefined });
    assert.deepEqual(run.matrixFiles(), ['/w/out/t/sweep_matrix.csv']);
  });
});

describe('SweepRuns (start, cancel, report: one place for the editor and the CLI)', () => {
  test('cancel stops the running run, which ends cancelled; nothing left to cancel after; clear forgets it', async () => {
    const dir = join(root, 'cancel');
    const runs = new SweepRuns();
    assert.equal(runs.cancel(), false, 'nothing runs yet');
    const seen: string[] = [];
    const started = runs.start({
      what: 'run',
      config: config(dir, 'while true; do sleep 0.1; done'),
      configPath: join(dir, 'sweep.json'),
      options: { localRoot: join(dir, 'out'), tailLogs: false },
      onEvent: (e, run) => e.type === 'role' && seen.push(`${e.role}:${e.state}:${run.state}`),
    });
    assert.deepEqual(runs.runs, [started.run]);
    await waitFor(() => seen.includes('client:running:running'));
    assert.equal(runs.cancel(), true);
    const res = await started.done;
    assert.equal(res.cancelled, true);
    assert.equal(started.run.state, 'cancelled');
    assert.ok(started.run.endedAt);
    assert.equal(runs.cancel(), false, 'a finished run cannot be cancelled');
    assert.equal(sweepOutcome(started.run, res), 'sweep t cancelled — every remote process was stopped and what existed was collected.');
    runs.clear();
    assert.deepEqual(runs.runs, []);
  });

  test("an outside signal (Ctrl+C, the job's Cancel) cancels through the same place", async () => {
    const dir = join(root, 'signal');
    const ctl = new AbortController();
    const runs = new SweepRuns();
    const started = runs.start({
      what: 'run',
      config: config(dir, 'while true; do sleep 0.1; done'),
      configPath: join(dir, 'sweep.json'),
      options: { localRoot: join(dir, 'out'), tailLogs: false },
      signal: ctl.signal,
    });
    await waitFor(() => started.run.cases.some((c) => c.roles.some((r) => r.role === 'client' && r.state === 'running')));
    ctl.abort();
    assert.equal((await started.done).cancelled, true);
    assert.equal(started.run.state, 'cancelled');
  });

  test('a finished run reports its cases; a failed case is named with its reason', async () => {
    const dir = join(root, 'outcome');
    const runs = new SweepRuns();
    const ok = runs.start({
      what: 'run',
      config: config(dir, 'exit 3'),
      configPath: join(dir, 'sweep.json'),
      options: { localRoot: join(dir, 'out'), tailLogs: false },
    });
    const res = await ok.done;
    assert.equal(ok.run.state, 'failed');
    assert.match(sweepOutcome(ok.run, res), /^sweep t finished with 1 failed case\(s\): only \(.+\)\.$/);
  });

  test('config sniffing: a sweep config has "cases" and "commands"', () => {
    assert.equal(looksLikeSweepConfig('{ "commands": {}, "cases": [] }'), true);
    assert.equal(looksLikeSweepConfig('{ "hosts": [] }'), false);
    assert.equal(looksLikeSweepConfig('{ "cases": [] }'), false);
  });
});

describe('the run builds its own runners', () => {
  test("`local` roles run in the caller's folder, so a relative repo_dir works as from a terminal there", async () => {
    const dir = join(root, 'cwd');
    mkdirSync(join(dir, 'repo'), { recursive: true });
    writeFileSync(join(dir, 'repo', 'client.sh'), 'pwd > where.txt\n');
    const res = await runSweep(
      config(dir, 'bash client.sh', {}, { repo_dir: 'repo' }),
      { localRoot: join(dir, 'out'), tailLogs: false, localCwd: dir },
      new AbortController().signal,
      () => undefined,
    );
    assert.deepEqual(
      res.cases.map((c) => [c.caseName, c.state, c.reason]),
      [['only', 'done', undefined]],
    );
    assert.equal(readFileSync(join(dir, 'repo', 'where.txt'), 'utf8').trim(), join(dir, 'repo'));
  });
});
