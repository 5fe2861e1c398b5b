// How a sweep reaches its hosts is built by core for every caller (CLI and editor alike), against a
// real sshd: a host whose ssh_options say StrictHostKeyChecking=accept-new is trusted even when the
// caller's policy would refuse (the editor's copy passed its own pool and lost this), an encrypted
// key is unlocked through the caller's passphrase prompt (nobody could pass one before), and
// stop_grace_sec is the grace a cancelled role gets between TERM and KILL (the editor's runners used 2 s).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startSshHosts, sshdSkipReason, type SshTestHosts } from '../../support/sshd';
import { parseSweepConfigText } from '../../../src/core/sweep/sweepConfig';
import { runSweep, type RunSweepOptions } from '../../../src/core/sweep/runSweep';
import type { UnknownHostKey } from '../../../src/core/ssh/hostKeyPolicy';

const skip = sshdSkipReason();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond: () => boolean, ms = 30_000): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await sleep(50)) if (cond()) return true;
  return cond();
}

describe("a sweep's connections, built by core from the config and the caller's options", { skip }, () => {
  let hosts: SshTestHosts;
  let dir: string;
  let n = 0;
  before(async () => {
    hosts = await startSshHosts(1, { aliasPrefix: 'airlock-conn' });
    dir = join(hosts.dir, 'sweeps');
    mkdirSync(dir);
  });
  after(async () => {
    spawnSync('pkill', ['-f', `${hosts?.dir}/sweeps`]);
    await hosts?.stop();
  });

  /** An ssh config whose alias points at the test sshd with `known` as its known_hosts file. */
  const sshConfig = (known: string, identity = hosts.clientKeyPath) => {
    const h = hosts.hosts[0]!;
    const path = join(dir, `ssh_config_${++n}`);
    writeFileSync(
      path,
      [
        `Host conn`,
        '  HostName 127.0.0.1',
        `  Port ${h.port}`,
        `  User ${hosts.user}`,
        `  IdentityFile ${identity}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${known}`,
        '  StrictHostKeyChecking yes',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    return path;
  };
  const sweep = (client: string, over: { sshOptions?: string[]; schedule?: Record<string, unknown> } = {}) => {
    const name = `s${++n}`;
    return parseSweepConfigText(
      JSON.stringify({
        roles: { background: ['server1'], foreground: 'client' },
        host_defaults: { repo_dir: dir, ssh_options: over.sshOptions ?? [] },
        hosts: { server1: { host: 'conn' }, client: { host: 'conn' } },
        schedule: {
          wait_after_server1_sec: 0,
          inter_case_sec: 0,
          teardown_wait_sec: 0,
          results_root: join(dir, name, 'remote'),
          run_tag: name,
          stop_grace_sec: 1,
          ...over.schedule,
        },
        commands: { server1: `while true; do sleep 0.2; done # ${dir}`, client },
        cases: [{ name: 'only', vars: {} }],
      }),
      join(dir, `${name}.json`),
    );
  };
  const opts = (o: RunSweepOptions): RunSweepOptions => ({ agentSocket: null, tailLogs: false, localRoot: join(dir, `local${++n}`), ...o });

  test("StrictHostKeyChecking=accept-new trusts a first-seen host key even when the caller's policy refuses", async () => {
    const known = join(dir, 'known_empty');
    writeFileSync(known, '', { mode: 0o600 });
    const asked: UnknownHostKey[] = [];
    const res = await runSweep(
      sweep('echo hi', { sshOptions: ['StrictHostKeyChecking=accept-new'] }),
      opts({
        sshConfigPath: sshConfig(known),
        hostKeyPolicy: { confirmUnknownHost: async (k) => (asked.push(k), false) },
      }),
      new AbortController().signal,
      () => undefined,
    );
    assert.deepEqual(
      res.cases.map((c) => [c.state, c.reason]),
      [['done', undefined]],
    );
    assert.deepEqual(asked, [], 'the accept-new host was not put to the refusing policy');
    assert.match(readFileSync(known, 'utf8'), /^\[127\.0\.0\.1\]:\d+ ssh-ed25519 /, 'its key was added to known_hosts');
  });

  test("without accept-new the caller's policy decides (here: refuses, and the case fails naming the host)", async () => {
    const known = join(dir, 'known_empty2');
    writeFileSync(known, '', { mode: 0o600 });
    const asked: string[] = [];
    const res = await runSweep(
      sweep('echo hi'),
      opts({
        sshConfigPath: sshConfig(known),
        hostKeyPolicy: { confirmUnknownHost: async (k) => (asked.push(k.fingerprint), false) },
      }),
      new AbortController().signal,
      () => undefined,
    );
    assert.equal(res.cases[0]?.state, 'failed');
    assert.match(res.cases[0]?.reason ?? '', /host conn is unreachable: Refused to connect/);
    assert.ok(asked.length >= 1);
  });

  test("an encrypted key is unlocked through the caller's passphrase prompt", async () => {
    const key = join(dir, 'id_encrypted');
    const passphrase = 'correct horse battery staple';
    assert.equal(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', key]).status, 0);
    appendFileSync(join(hosts.dir, 'authorized_keys'), readFileSync(`${key}.pub`));
    const asked: string[] = [];
    const res = await runSweep(
      sweep('echo hi'),
      opts({
        sshConfigPath: sshConfig(hosts.knownHostsPath, key),
        askPassphrase: async (file) => (asked.push(file), passphrase),
      }),
      new AbortController().signal,
      () => undefined,
    );
    assert.deepEqual(
      res.cases.map((c) => [c.state, c.reason]),
      [['done', undefined]],
    );
    assert.deepEqual([...new Set(asked)], [key]);
  });

  test('stop_grace_sec is the grace a cancelled role gets between TERM and KILL', async () => {
    const up = join(dir, 'grace-up');
    const graceful = join(dir, 'grace-done');
    // The client cleans up for 3 s after TERM; a 2 s grace would KILL it halfway.
    const client = `trap 'sleep 3; echo done > ${graceful}; exit 0' TERM; echo > ${up}; while true; do sleep 0.1; done`;
    const ctl = new AbortController();
    const run = runSweep(
      sweep(client, { schedule: { stop_grace_sec: 8 } }),
      opts({ sshConfigPath: sshConfig(hosts.knownHostsPath) }),
      ctl.signal,
      () => undefined,
    );
    assert.ok(await waitFor(() => existsSync(up)), 'the client started');
    ctl.abort();
    assert.equal((await run).cancelled, true);
    assert.ok(await waitFor(() => existsSync(graceful), 10_000), 'the client finished its TERM handler before being killed');
    assert.equal(readFileSync(graceful, 'utf8'), 'done\n');
  });
});
