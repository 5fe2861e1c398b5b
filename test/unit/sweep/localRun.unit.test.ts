// The sweep engine end to end on this machine (role host "local", no SSH): the process-group stop
// against the original's leader-only kill, and a queue run with a shared DHT, collect and analysis.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runLocal } from '../../../src/core/process/runLocal';
import { startScript, stopScript } from '../../../src/core/sweep/remoteScripts';
import { parseSweepConfigText } from '../../../src/core/sweep/sweepConfig';
import { runSweep } from '../../../src/core/sweep/runSweep';
import type { SweepEvent } from '../../../src/core/sweep/sweepEvents';

const marker = `airlock-sweep-local-${process.pid}`;
const root = mkdtempSync(join(tmpdir(), `${marker}-`));
const leftovers = () =>
  spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((p) => p !== process.pid);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls instead of guessing a delay: a loaded machine may take a while to start a process. */
async function waitFor(cond: () => boolean, ms = 10_000): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await sleep(50)) if (cond()) return true;
  return cond();
}
after(() => {
  for (const pid of leftovers()) spawnSync('kill', ['-9', String(pid)]);
  rmSync(root, { recursive: true, force: true });
});

const repo = join(root, 'repo');
mkdirSync(repo);
cpSync(resolve('test/fixtures/sweep/bloombee/case_000'), join(repo, 'fixture'), { recursive: true });
writeFileSync(join(repo, 'child.sh'), 'while true; do sleep 0.2; done\n');
writeFileSync(
  join(repo, 'server.sh'),
  `case "$1" in server1|server2) cat "fixture/$1.log";; esac\nbash "${repo}/child.sh" &\nwhile true; do sleep 0.2; done\n`,
);
writeFileSync(join(repo, 'client.sh'), 'cat fixture/inference.log\n');
for (const f of ['child.sh', 'server.sh', 'client.sh']) chmodSync(join(repo, f), 0o755);

describe('background jobs', () => {
  test('are stopped by process group: the original left the child running, ours leaves nothing', async () => {
    const log = join(root, 'pg', 'server.log');
    const job = `cd ${repo} && bash server.sh x`;
    assert.equal((await runLocal(startScript('sequenced', 'j', log, job))).code, 0);
    const childRunning = () => spawnSync('pgrep', ['-f', `${repo}/child.sh`]).status === 0;
    assert.ok(await waitFor(childRunning), 'the job and its child are running');
    // The original's stop: TERM (then KILL) to the leader PID only.
    const original = `PID=$(cat ${log}.pid); kill "$PID"; sleep 0.5; kill -9 "$PID" 2>/dev/null || true`;
    await runLocal(original);
    await sleep(300);
    const survivors = leftovers();
    assert.ok(survivors.length >= 1, 'the child outlived the leader-only kill');
    // Ours, against a fresh job.
    for (const pid of survivors) spawnSync('kill', ['-9', String(pid)]);
    await runLocal(startScript('sequenced', 'j', log, job));
    assert.ok(await waitFor(childRunning));
    const r = await runLocal(stopScript('j', log, 1));
    assert.match(r.stdout, /^STOPPED j PID=\d+\n$/);
    assert.deepEqual(leftovers(), []);
    assert.equal(existsSync(`${log}.pid`), false);
    assert.match((await runLocal(stopScript('j', log, 1))).stdout, /^NO_PIDFILE j\n$/);
  });
});

describe('a queue run on this machine', () => {
  test('shared DHT once, cases in order, logs collected, breakdown and trade-off matrix written, nothing left', async () => {
    const results = join(root, 'remote');
    const cfg = {
      host_defaults: { repo_dir: repo },
      hosts: { dht: { host: 'local' }, server1: { host: 'local' }, server2: { host: 'local' }, client: { host: 'local' } },
      schedule: { startup_wait_sec: 0, interval_sec: 0, teardown_wait_sec: 0, results_root: results, run_tag: 'loc', stop_grace_sec: 1 },
      commands: { dht: 'bash server.sh dht', server1: 'bash server.sh server1', server2: 'bash server.sh server2', client: 'bash client.sh {case_index}' },
      cases: [
        { name: 'one', vars: { batch_size: 2, seq_len: 128 } },
        { name: 'two', vars: { batch_size: 4, seq_len: 128 } },
      ],
    };
    const events: SweepEvent[] = [];
    const local = join(root, 'collected');
    const result = await runSweep(
      parseSweepConfigText(JSON.stringify(cfg), 'local.json'),
      { localRoot: local, tailLogs: true },
      new AbortController().signal,
      (e) => events.push(e),
    );
    assert.equal(result.plan.mode, 'queue');
    assert.deepEqual(
      result.cases.map((c) => c.state),
      ['done', 'done'],
      JSON.stringify(result.cases),
    );
    const starts = events.flatMap((e) => (e.type === 'role' && e.state === 'running' ? [`${e.role}${e.caseIndex}`] : []));
    assert.deepEqual(
      starts.filter((s) => s.startsWith('dht')),
      ['dht-1'],
      'the DHT started once, as a shared role',
    );
    const caseStates = events.filter((e) => e.type === 'case' && e.caseIndex === 0).map((e) => (e as { state: string }).state);
    assert.deepEqual(caseStates, ['pending', 'starting', 'running', 'collecting', 'done']);
    assert.ok(existsSync(join(local, 'loc/shared_dht.log')));
    assert.match(readFileSync(join(local, 'loc_001_two/latency_breakdown.txt'), 'utf8'), /\nstep_latency_ms +97\.00 +97\.00 +3\n/);
    const csv = readFileSync(join(local, 'loc/tradeoff_matrix.csv'), 'utf8').split('\r\n');
    assert.match(csv[2]!, /^two,0,1,4,128,97\.0,94\.0,/);
    assert.ok(events.some((e) => e.type === 'log' && e.role === 'client' && e.line.includes('[STEP_LATENCY]')));
    assert.deepEqual(leftovers(), []);
  });
});

describe('a sequenced run on this machine', () => {
  test('a background role that dies on its own fails the case with the reason; the next case still runs', async () => {
    const cfg = {
      roles: { background: ['server1'], foreground: 'client' },
      host_defaults: { repo_dir: repo },
      hosts: { server1: { host: 'local' }, client: { host: 'local' } },
      schedule: {
        wait_after_server1_sec: 0.5,
        inter_case_sec: 0,
        teardown_wait_sec: 0,
        results_root: join(root, 'remote2'),
        run_tag: 'crash',
        stop_grace_sec: 1,
      },
      commands: { server1: '{server}', client: 'bash client.sh' },
      cases: [
        { name: 'crashes', vars: { server: 'echo bye; exit 1' } },
        { name: 'fine', vars: { server: 'bash server.sh server1' } },
      ],
    };
    const result = await runSweep(
      parseSweepConfigText(JSON.stringify(cfg), 'crash.json'),
      { localRoot: join(root, 'crash'), tailLogs: false },
      new AbortController().signal,
      () => undefined,
    );
    assert.deepEqual(
      result.cases.map((c) => [c.caseName, c.state, c.reason]),
      [
        ['crashes', 'failed', 'server1 on local had exited on its own before the case ended (see server1.log)'],
        ['fine', 'done', undefined],
      ],
    );
    assert.equal(readFileSync(join(root, 'crash/crash_000_crashes/server1.log'), 'utf8'), 'bye\n');
    assert.deepEqual(leftovers(), []);
  });
});
