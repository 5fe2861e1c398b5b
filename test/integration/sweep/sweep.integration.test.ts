// Real sweeps against three sshd hosts on loopback: the original's file layout and matrices, the
// editor's events, and — after a normal run, a cancel and a host dying — no process left behind.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshdSkipReason } from '../../support/sshd';
import { cliBundle } from '../../support/cliBundle';
import { parseSweepConfig } from '../../../src/core/sweep/sweepConfig';
import { runSweep } from '../../../src/core/sweep/runSweep';
import type { SweepEvent } from '../../../src/core/sweep/sweepEvents';
import { startSweepTestBed, type SweepTestBed } from './sweepHosts';

const skip = sshdSkipReason();
const caseA = { name: 'a', vars: { batch_size: 84, micro_batch_size: 8, lossless_wrapper: 0 } };
const rowA = (tag: string, name = 'a') => `${name},${tag},84,8,0,1,100,0,100,0,100,0,200,97.0,94.0,2688.62,2688.62,0.35,1.0,1.0,3.0`;

describe('sweeps on three sshd hosts', { skip, timeout: 600_000 }, () => {
  let bed: SweepTestBed;
  before(async () => {
    bed = await startSweepTestBed();
  });
  after(async () => {
    await bed?.stop();
  });

  async function run(
    cfg: Record<string, unknown>,
    opts: { local: string; mode?: 'queue' | 'sequenced'; signal?: AbortSignal; onEvent?: (e: SweepEvent) => void },
  ) {
    const config = await parseSweepConfig(bed.writeConfig(`${opts.local}.json`, cfg));
    const events: SweepEvent[] = [];
    const result = await runSweep(
      config,
      { sshConfigPath: bed.hosts.sshConfigPath, agentSocket: null, localRoot: join(bed.root, opts.local), mode: opts.mode },
      opts.signal ?? new AbortController().signal,
      (e) => {
        events.push(e);
        opts.onEvent?.(e);
      },
    );
    return { result, events, local: join(bed.root, opts.local) };
  }
  const remotePidFiles = () =>
    readdirSync(bed.results, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.pid'));

  test(
    'sequenced: a failing client fails its case, the sweep goes on; original layout, matrix, live logs; nothing left running',
    { timeout: 180_000 },
    async () => {
      const cfg = bed.config({ cases: [{ ...caseA, name: 'fails', env: { client: { CLIENT_EXIT: '3' } } }, caseA] });
      const { result, events, local } = await run(cfg, { local: 'seq' });
      assert.deepEqual(
        result.cases.map((c) => [c.caseName, c.state]),
        [
          ['fails', 'failed'],
          ['a', 'done'],
        ],
      );
      assert.match(result.cases[0]!.reason!, /^client exited with code 3 on airlock-sweep-3$/);
      const states = events.filter((e) => e.type === 'case' && e.caseIndex === 1).map((e) => (e as { state: string }).state);
      assert.deepEqual(states, ['pending', 'starting', 'running', 'collecting', 'done']);
      const s1 = events.find((e) => e.type === 'role' && e.caseIndex === 1 && e.role === 'server1' && e.state === 'running');
      assert.ok(s1 && s1.type === 'role' && s1.pid! > 1 && s1.startedAt! > 0 && s1.host === 'airlock-sweep-2', JSON.stringify(s1));
      const cl = events.find((e) => e.type === 'role' && e.caseIndex === 1 && e.role === 'client' && e.state === 'running');
      assert.ok(cl && cl.type === 'role' && cl.pid! > 1);
      const logs = events.filter((e) => e.type === 'log' && e.caseIndex === 1);
      assert.ok(
        logs.some((e) => e.type === 'log' && e.role === 'server1' && e.line.includes('[MBPIPE_SUMMARY]')),
        'server1 log streamed live',
      );
      assert.ok(
        logs.some((e) => e.type === 'log' && e.role === 'server1' && e.line === 'env BLOOMBEE_MICRO_BATCH_SIZE=8 role=server1'),
        'role env reached the job',
      );
      assert.ok(
        logs.some((e) => e.type === 'log' && e.role === 'client' && e.line.includes('[STEP_LATENCY]')),
        'client log streamed live',
      );

      for (const tag of ['it_000_fails', 'it_001_a']) {
        for (const f of ['dht.log', 'server1.log', 'server2.log', 'inference.log', 'analysis_summary.txt'])
          assert.ok(existsSync(join(local, tag, f)), `${tag}/${f}`);
      }
      for (const f of ['config_used.json', 'sweep_matrix.csv', 'sweep_matrix.txt']) assert.ok(existsSync(join(local, 'it', f)), f);
      const csv = readFileSync(join(local, 'it/sweep_matrix.csv'), 'utf8').split('\r\n');
      assert.equal(csv[2], rowA('it_001_a'));
      assert.match(
        readFileSync(join(local, 'it_001_a/analysis_summary.txt'), 'utf8'),
        /\nmean_step_latency_ms=97\.00\nmean_network_total_ms=94\.00\n.*step_count=3\n$/s,
      );
      assert.deepEqual(bed.leftovers(), [], 'no process left on any host');
      assert.deepEqual(remotePidFiles(), []);
    },
  );

  test(
    '`airlock sweep collect` on a finished run: per-case breakdowns and trade-off matrix; --skip-analysis; --strict fails on a missing log',
    { timeout: 180_000 },
    async () => {
      const path = bed.writeConfig('collect.json', bed.config({ cases: [{ ...caseA, name: 'fails' }, caseA] }));
      const cli = (...args: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [cliBundle(), 'sweep', 'collect', path, '--ssh-config', bed.hosts.sshConfigPath, ...args], {
            cwd: bed.root,
            env: { ...process.env, SSH_AUTH_SOCK: '' },
          });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (c) => (stdout += c));
          child.stderr.on('data', (c) => (stderr += c));
          child.on('close', (code) => resolve({ code, stdout, stderr }));
        });
      // Its own run "it" on the hosts (the same cases as the first test), then collect it into fresh folders.
      await run(bed.config({ cases: [{ ...caseA, name: 'fails', env: { client: { CLIENT_EXIT: '3' } } }, caseA] }), { local: 'col-setup' });
      const r = await cli('--local-root', 'col');
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /^\[collect\] run_tag=it cases=2 results_root=\S+ local_root=col\n/);
      for (const tag of ['it_000_fails', 'it_001_a']) {
        for (const f of ['dht.log', 'server1.log', 'server2.log', 'inference.log', 'latency_breakdown.txt'])
          assert.ok(existsSync(join(bed.root, 'col', tag, f)), `${tag}/${f}`);
      }
      assert.match(readFileSync(join(bed.root, 'col/it/tradeoff_matrix.txt'), 'utf8'), /Relative Delta vs baseline=fails\n/);
      assert.equal(readFileSync(join(bed.root, 'col/it/tradeoff_matrix.csv'), 'utf8').split('\r\n').length, 4);
      const skip = await cli('--local-root', 'col2', '--skip-analysis');
      assert.equal(skip.code, 0, skip.stderr);
      assert.match(skip.stdout, /\[collect\] analysis skipped: skip-analysis enabled\n\[collect\] logs collected under: col2\n\[collect\] done\.\n$/);
      assert.equal(existsSync(join(bed.root, 'col2/it_001_a/latency_breakdown.txt')), false);
      const lenient = await cli('--local-root', 'col3', '--run-tag', 'never-ran');
      assert.equal(lenient.code, 1, 'missing logs fail the cases');
      assert.match(lenient.stdout, /\[collect\] WARN missing\/unreadable remote file: airlock-sweep-1:\S+\/never-ran_000_fails\/dht\.log\nstdout: \nstderr: /);
      assert.match(lenient.stdout, /\[collect\] No complete cases collected; skip trade-off matrix\.\n/);
      const strict = await cli('--local-root', 'col4', '--run-tag', 'never-ran', '--strict');
      assert.equal(strict.code, 1);
      assert.match(strict.stderr, /missing\/unreadable remote file: airlock-sweep-1:\S+never-ran_000_fails\/dht\.log/);
    },
  );

  test(
    'queue via the CLI: shared DHT, latency breakdown per case identical to the original, trade-off matrix; nothing left running',
    { timeout: 180_000 },
    async () => {
      const cfg = bed.config({
        schedule: {
          startup_wait_sec: 0.2,
          interval_sec: 0,
          teardown_wait_sec: 0,
          client_timeout_sec: 60,
          reuse_dht: true,
          results_root: bed.results,
          run_tag: 'q',
          stop_grace_sec: 1,
        },
        cases: [caseA, { name: 'b/2', vars: { ...caseA.vars, lossless_wrapper: 1 } }],
        // The shared DHT is rendered with shared_vars only (as the original), so default_env's {lossless_wrapper} must be there.
        shared_vars: { model: 'm', lossless_wrapper: 0 },
      });
      const path = bed.writeConfig('queue.json', cfg);
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [cliBundle(), 'sweep', 'run', path, '--local-root', 'qruns', '--ssh-config', bed.hosts.sshConfigPath, '--follow'],
          { cwd: bed.root, env: { ...process.env, SSH_AUTH_SOCK: '' } },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.stderr.on('data', (c) => (stderr += c));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      assert.equal(r.code, 0, r.stderr + r.stdout.slice(-2000));
      assert.match(r.stdout, /^\[cluster-launch\] run_tag=q cases=2 interval_sec=0 startup_wait_sec=0\.2 reuse_dht=True dry_run=False\n/);
      assert.match(r.stdout, /\nSTARTED q_dht_shared PID=\d+ LOG=/);
      assert.match(r.stdout, /\n\[server1@q_000_a\] .*\[MBPIPE_SUMMARY\] step=512/, '--follow prints the live log lines');
      assert.match(r.stdout, /\n\[cluster-launch\] Cleanup completed\.\n\[collect\] run_tag=q cases=2 /);
      const L = join(bed.root, 'qruns');
      assert.ok(existsSync(join(L, 'q/shared_dht.log')));
      const expected = readFileSync('test/fixtures/sweep/bloombee/case_000/latency_breakdown.txt', 'utf8').split('\n').slice(6).join('\n');
      for (const tag of ['q_000_a', 'q_001_b_2']) {
        const text = readFileSync(join(L, tag, 'latency_breakdown.txt'), 'utf8').split('\n');
        assert.equal(text[3], `client_log  : qruns/${tag}/inference.log`);
        assert.equal(text.slice(6).join('\n'), expected, `${tag}: same numbers as the original for the same logs`);
      }
      const trade = readFileSync(join(L, 'q/tradeoff_matrix.csv'), 'utf8').split('\r\n');
      assert.match(trade[1]!, /^a,0,1,84,0,97\.0,94\.0,0\.35000000000000003,31\.099999999999998,32\.6,2688\.62,/);
      assert.match(trade[2]!, /^b\/2,1,1,84,0,97\.0,/);
      assert.match(readFileSync(join(L, 'q/tradeoff_matrix.txt'), 'utf8'), /Relative Delta vs baseline=a\n[\s\S]*Saved CSV: qruns\/q\/tradeoff_matrix\.csv\n$/);
      assert.deepEqual(bed.leftovers(), []);
    },
  );

  test('cancel mid-case stops every remote process, still collects what exists, and writes the matrix', { timeout: 180_000 }, async () => {
    const ac = new AbortController();
    const cfg = bed.config({ cases: [{ ...caseA, env: { client: { CLIENT_SLEEP: '60' } } }, caseA] });
    const { result, events, local } = await run(cfg, {
      local: 'cancel',
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'role' && e.role === 'client' && e.state === 'running') setTimeout(() => ac.abort(), 500);
      },
    });
    assert.equal(result.cancelled, true);
    assert.deepEqual(
      result.cases.map((c) => [c.state, c.reason]),
      [
        ['failed', 'cancelled'],
        ['pending', undefined],
      ],
    );
    assert.ok(events.some((e) => e.type === 'role' && e.role === 'server1' && e.state === 'stopped'));
    assert.match(readFileSync(join(local, 'it_000_a/server1.log'), 'utf8'), /\[MBPIPE_SUMMARY\]/, 'logs collected after cancel');
    assert.match(readFileSync(join(local, 'it_000_a/inference.log'), 'utf8'), /\[STEP_LATENCY\]/);
    assert.equal(readFileSync(join(local, 'it/sweep_matrix.csv'), 'utf8').split('\r\n').length, 3, 'header + the cancelled case');
    assert.deepEqual(bed.leftovers(), []);
    assert.deepEqual(remotePidFiles(), []);
  });

  test('Ctrl+C on `airlock sweep run` exits 130 with nothing left running', { timeout: 180_000 }, async () => {
    const path = bed.writeConfig(
      'sigint.json',
      bed.config({ cases: [{ ...caseA, env: { client: { CLIENT_SLEEP: '60' } } }], schedule: { ...(bed.config().schedule as object), run_tag: 'sig' } }),
    );
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cliBundle(), 'sweep', 'run', path, '--local-root', 'sigruns', '--ssh-config', bed.hosts.sshConfigPath], {
        cwd: bed.root,
        env: { ...process.env, SSH_AUTH_SOCK: '' },
      });
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stdout.on('data', (c) => {
        stdout += c;
        if (!sent && /\nCLIENT_PID|echo CLIENT_PID/.test(stdout)) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 1500);
        }
      });
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    assert.equal(r.code, 130, r.stderr + r.stdout.slice(-1500));
    assert.match(r.stdout, /STOPPED sig_000_a_server1 PID=/);
    assert.ok(existsSync(join(bed.root, 'sigruns/sig_000_a/server2.log')));
    assert.deepEqual(bed.leftovers(), []);
  });

  test('a host dying mid-case fails that case with the reason; the sweep continues and leaves nothing running', { timeout: 180_000 }, async () => {
    const host2 = bed.hosts.hosts[1]!;
    let killed = false;
    const cfg = bed.config({
      cases: [{ ...caseA, env: { client: { CLIENT_SLEEP: '4' } } }, caseA],
      schedule: { ...(bed.config().schedule as object), run_tag: 'die', inter_case_sec: 2 },
    });
    const restarted: Promise<void>[] = [];
    const { result } = await run(cfg, {
      local: 'die',
      onEvent: (e) => {
        if (!killed && e.type === 'role' && e.role === 'client' && e.state === 'running') {
          killed = true;
          void host2.stop(); // server1's machine goes away (sshd and everything it started)
        }
        if (e.type === 'case' && e.caseIndex === 0 && e.state === 'failed') restarted.push(host2.start());
      },
    });
    await Promise.all(restarted);
    assert.equal(result.cases[0]!.state, 'failed');
    assert.match(result.cases[0]!.reason!, /server1/);
    assert.match(result.cases[0]!.reason!, /airlock-sweep-2/);
    assert.equal(result.cases[1]!.state, 'done', result.cases[1]!.reason);
    assert.equal(readFileSync(join(bed.root, 'die/die/sweep_matrix.csv'), 'utf8').split('\r\n')[2], rowA('die_001_a'));
    assert.deepEqual(bed.leftovers(), []);
  });
  test(
    'StrictHostKeyChecking=accept-new does not let in a known host whose key changed type: the case fails with the reason',
    { timeout: 180_000 },
    async () => {
      const host1 = bed.hosts.hosts[0]!;
      const knownBefore = readFileSync(bed.hosts.knownHostsPath, 'utf8');
      await host1.rotateHostKey('ecdsa'); // known by its ed25519 key; now it presents only an ECDSA key
      try {
        const defaults = bed.config().host_defaults as { ssh_options: string[] };
        const cfg = bed.config({
          host_defaults: { ...defaults, ssh_options: [...defaults.ssh_options, 'StrictHostKeyChecking=accept-new'] },
          schedule: { ...(bed.config().schedule as object), run_tag: 'keytype' },
        });
        const { result } = await run(cfg, { local: 'keytype' });
        assert.equal(result.cases[0]!.state, 'failed');
        assert.match(result.cases[0]!.reason!, /host key of \[127\.0\.0\.1\]:\d+ has CHANGED \(now ecdsa-sha2-nistp256/);
        assert.equal(readFileSync(bed.hosts.knownHostsPath, 'utf8'), knownBefore, 'the new key was not silently added');
        assert.deepEqual(bed.leftovers(), []);
      } finally {
        await host1.rotateHostKey('ed25519');
        writeFileSync(bed.hosts.knownHostsPath, bed.hosts.hosts.map((h) => `[127.0.0.1]:${h.port} ${h.publicKey()}\n`).join(''));
      }
    },
  );
});
