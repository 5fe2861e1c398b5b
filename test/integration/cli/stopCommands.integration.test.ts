// Nothing survives its controller: each long-running CLI command — pods create, sweep run, hosts
// exec, worker — is stopped while it works, by SIGHUP (terminal closed), SIGTERM, SIGINT, or by its
// reader going away (stdout closed, as `… | head` does). Every time it must exit non-zero without a
// stack trace and leave no pod on the fake RunPod, no process on the sshd hosts (ps), no claim.
// One set-up (three sshd hosts, one fake RunPod, one git queue) is shared by the 16 runs.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle } from '../../support/cliBundle';
import { sshdSkipReason } from '../../support/sshd';
import { startSweepTestBed, type SweepTestBed } from '../sweep/sweepHosts';
import { startFakeRunpod, type FakeRunpod } from '../../support/fakeRunpod/server';
import { makeGitQueue, type GitQueue } from '../../support/gitQueue';
import { createRunpodProvider, type RunpodProvider } from '../../../src/core/pods/runpod/runpodProvider';

const key = 'rp_STOPTEST_0123456789abcdef';
type Way = 'SIGHUP' | 'SIGTERM' | 'SIGINT' | 'stdout closed';
const ways: Way[] = ['SIGHUP', 'SIGTERM', 'SIGINT', 'stdout closed'];

interface Started {
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  /** Output (stdout + stderr) that shows the command is in the middle of its work. */
  busy: RegExp;
}

describe('stopping a long-running command leaves nothing behind', { skip: sshdSkipReason(), timeout: 600_000 }, () => {
  let bed: SweepTestBed;
  let fake: FakeRunpod;
  let provider: RunpodProvider;
  let queue: GitQueue;
  let clone: string;
  let home: string;
  let tick: string;
  let sweepConfig: string;

  before(async () => {
    bed = await startSweepTestBed();
    fake = await startFakeRunpod({ apiKey: key, startAfterPolls: 3 });
    provider = createRunpodProvider({ apiKey: key, endpoint: fake.endpoint, clientVersion: 'stop-test' });
    home = mkdtempSync(join(tmpdir(), 'airlock-stop-home-'));
    // Prints forever: a command that only stops when it is killed (its path carries the marker).
    tick = join(bed.repo, 'tick.sh');
    writeFileSync(tick, '#!/bin/bash\nwhile true; do echo tick; sleep 0.2; done\n');
    chmodSync(tick, 0o755);
    sweepConfig = bed.writeConfig('stop.json', bed.config({ commands: { ...(bed.config().commands as object), client: `bash ${tick}` } }));
    queue = makeGitQueue({ phases: [{ name: 'p1', axes: { model: ['a', 'b'], level: ['x'] }, reruns: 1, command: `bash ${tick}` }] });
    const g = spawnSync(process.execPath, [cliBundle(), 'phases', 'generate'], { cwd: queue.seed, encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);
    clone = queue.clone('w');
  });
  after(async () => {
    await bed?.stop();
    await fake?.close();
    queue?.dispose();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const commands: Record<string, (way: Way) => Started> = {
    'pods create': (way) => {
      // Stopped while waiting for readiness; with stdout closed it must get as far as printing.
      fake.control.setNeverReady(way !== 'stdout closed');
      return {
        args: ['pods', 'create', '--image', 'runpod/pytorch', '--name', `stop-${way.replace(' ', '-')}`, '--poll', '0.05'],
        cwd: home,
        env: { HOME: home, RUNPOD_API_KEY: key, AIRLOCK_RUNPOD_ENDPOINT: fake.endpoint },
        busy: /created pod \w+/,
      };
    },
    'sweep run': () => ({
      args: ['sweep', 'run', sweepConfig, '--follow', '--local-root', join(bed.root, 'stopruns'), '--ssh-config', bed.hosts.sshConfigPath],
      cwd: bed.root,
      busy: /\[client@\S+\] tick/,
    }),
    'hosts exec': () => ({
      args: ['hosts', 'exec', 'airlock-sweep-1', '--ssh-config', bed.hosts.sshConfigPath, '--', 'bash', tick],
      cwd: bed.root,
      busy: /tick/,
    }),
    worker: () => ({ args: ['worker', '--host', 'stopper', '--once'], cwd: clone, env: { AIRLOCK_VRAM_GB: '0' }, busy: /tick/ }),
  };

  async function stop(name: string, s: Started, way: Way): Promise<{ code: number | null; out: string }> {
    const child = spawn(process.execPath, [cliBundle(), ...s.args], {
      cwd: s.cwd,
      env: { ...process.env, SSH_AUTH_SOCK: '', ...s.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stopped = false;
    const act = () => {
      if (stopped || !s.busy.test(out)) return;
      stopped = true;
      if (way === 'stdout closed') child.stdout.destroy();
      else child.kill(way);
    };
    child.stdout.on('data', (d: Buffer) => ((out += d), act()));
    child.stderr.on('data', (d: Buffer) => ((out += d), act()));
    // pods create prints nothing on stdout until it is done: its reader is gone from the start.
    if (name === 'pods create' && way === 'stdout closed') child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.ok(stopped || (name === 'pods create' && way === 'stdout closed'), `${name} never got busy:\n${out}`);
    return { code, out };
  }

  for (const name of Object.keys(commands)) {
    for (const way of ways) {
      test(`${name}: ${way}`, async () => {
        const { code, out } = await stop(name, commands[name]!(way), way);
        if (process.env.AIRLOCK_STOP_TEST_VERBOSE) console.log(out);
        const pods = fake.control.livePods();
        // Each run gets a clean fake, whatever this one left (the assertion below still reports it).
        for (const p of pods) await provider.terminate(p.id);
        assert.deepEqual(pods, [], `a pod is left running\n${out}`);
        assert.equal(code, 130, `exit code ${code}\n${out}`);
        assert.doesNotMatch(out, /\n\s+at .+:\d+:\d+/, 'no stack trace');
        const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
          .stdout.split('\n')
          .filter((l) => l.includes(bed.marker) && !l.includes('ps -eo'));
        assert.deepEqual(ps, [], `processes left on the hosts\n${out}`);
        assert.deepEqual(queue.remoteFiles('data/runs/claims'), [], 'the claim was released');
      });
    }
  }
});
