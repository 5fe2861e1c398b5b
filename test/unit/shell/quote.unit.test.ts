// The one quoting function, and every command builder that reaches a shell, fed hostile strings and
// run by a real bash: each value must arrive as exactly the bytes given, and nothing may execute
// (each hostile string tries to create a canary file).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellJoin, shellQuote, remotePathExpr } from '../../../src/core/shell/quote';
import { termWaitKillScript } from '../../../src/core/shell/termWaitKill';
import { composeJobCmd, clientScript, startScript, stopScript } from '../../../src/core/sweep/remoteScripts';
import { innerScript, killGroupScript, wrapRemoteCommand } from '../../../src/core/hosts/remoteCommand';
import { sshArgv, sshCommandLine, sshCommandLineForHost } from '../../../src/core/ssh/sshCommandLine';
import { sshCommand } from '../../../src/core/pods/endpoints';
import { buildProbeScript } from '../../../src/core/hosts/probe';
import { parseSweepConfigText } from '../../../src/core/sweep/sweepConfig';
import { ConfigError } from '../../../src/core/config/jsoncDoc';
import { remoteWorkerCommand } from '../../../src/core/phases/workerLaunch';
import type { RoleHost } from '../../../src/core/sweep/roleHosts';

let dir: string;
let canary: string;
/** Strings that break out of weak quoting: each tries to `touch` the canary. */
const hostile = () => [
  `$(touch ${canary})`,
  `\`touch ${canary}\``,
  `'; touch ${canary}; '`,
  `"; touch ${canary}; "`,
  `x;touch ${canary}`,
  `a\nb && touch ${canary}`,
  `it's $HOME and \\ back`,
  `-oProxyCommand=touch ${canary}`,
  `|| touch ${canary} #`,
  '',
  ' leading and trailing ',
  '*',
  '~',
  '\'\'""',
  '\t\ttabs',
];

// HOME is the temp dir: the login shells the builders start (`bash -lc`) then skip the user's profile.
const bash = (script: string, env: Record<string, string> = {}) =>
  spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: dir, env: { ...process.env, HOME: dir, ...env } });

/** The argv a shell line produces, read back with a stand-in `ssh` that prints its arguments NUL-separated. */
function argvOf(line: string): string[] {
  const r = bash(`ssh() { printf '%s\\0' ssh "$@"; }; ${line}`);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\0').slice(0, -1);
}

describe('one shell quoting function, every builder', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-quote-'));
    canary = join(dir, 'PWNED');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const noCanary = () => assert.equal(existsSync(canary), false, 'a hostile string executed');

  test('shellQuote/shellJoin: bash reads back exactly the bytes, nothing runs; byte-identical to Python shlex.quote', () => {
    for (const s of hostile()) {
      const r = bash(`printf '%s' ${shellQuote(s)}`);
      assert.equal(r.stdout, s);
    }
    const r = bash(`printf '%s\\0' ${shellJoin(hostile())}`);
    assert.deepEqual(r.stdout.split('\0').slice(0, -1), hostile());
    noCanary();
    assert.equal(shellQuote("it's"), `'it'"'"'s'`);
    assert.equal(shellQuote('a-b_c.d/e:f@g%h+i=j,k'), 'a-b_c.d/e:f@g%h+i=j,k');
    assert.equal(shellQuote(''), "''");
  });

  test('remotePathExpr: ~ stays expandable, the rest is literal', () => {
    for (const s of hostile()) {
      const r = bash(`printf '%s' ${remotePathExpr(`~/${s}`)}`, { HOME: '/home/h' });
      assert.equal(r.stdout, `/home/h/${s}`);
    }
    noCanary();
  });

  test('sweep: env values, repo dir and job through composeJobCmd + clientScript arrive literally', () => {
    for (const s of hostile()) {
      const repo = join(dir, 'repo');
      mkdirSync(repo, { recursive: true });
      const host = { repoDir: repo, activate: '' } as RoleHost;
      const job = composeJobCmd(host, new Map([['V', s]]), 'printf "%s" "$V" > out.txt');
      const log = join(dir, `logs ${'$(x)'}`, 'client.log');
      const r = bash(clientScript('queue', log, job));
      assert.equal(r.status, 0, r.stderr);
      assert.equal(readFileSync(join(repo, 'out.txt'), 'utf8'), s);
    }
    noCanary();
  });

  test('sweep: an env NAME that is not a shell name is refused (builder and config, with file:line)', () => {
    const host = { repoDir: dir, activate: '' } as RoleHost;
    assert.throws(() => composeJobCmd(host, new Map([[`K;touch ${canary};X`, '1']]), 'true'), /not a shell name/);
    const cfg = (env: string) => `{
  "hosts": {"dht": {"host": "local"}, "server1": {"host": "local"}, "server2": {"host": "local"}, "client": {"host": "local"}},
  "commands": {"dht": "a", "server1": "b", "server2": "c", "client": "d"},
  "default_env": {"all": {"OK_1": "x"}},
  "cases": [{"name": "c", "env": {"server1": ${env}}}]
}`;
    assert.doesNotThrow(() => parseSweepConfigText(cfg('{"GOOD_NAME": "$(touch x)"}'), 'sweep.json'));
    assert.throws(
      () => parseSweepConfigText(cfg(`{"K;touch /tmp/x;X": "1"}`), 'sweep.json'),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.line, 5);
        assert.match(e.message, /^sweep\.json:5: cases\[0\]\.env\.server1\.K;touch \/tmp\/x;X is not an environment variable name/);
        return true;
      },
    );
    assert.throws(
      () => parseSweepConfigText(cfg('{}').replace('"OK_1"', '"1BAD"'), 'sweep.json'),
      /sweep\.json:4: default_env\.all\.1BAD is not an environment variable name/,
    );
  });

  test('sweep: start and stop scripts with a hostile job name and log path run the job and stop it', () => {
    const name = `srv $(touch ${canary})`;
    const log = join(dir, `we'ird $(touch ${canary})`, 'server.log');
    const started = bash(startScript('queue', name, log, 'sleep 30'));
    assert.equal(started.status, 0, started.stderr);
    assert.ok(started.stdout.startsWith(`STARTED ${name} PID=`), started.stdout);
    const stopped = bash(stopScript(name, log, 1));
    assert.equal(stopped.status, 0, stopped.stderr);
    assert.match(stopped.stdout, /STOPPED srv \$\(touch .*\) PID=\d+/);
    noCanary();
  });

  test('remote command wrapper: hostile env values and cwd arrive literally; hostile env names are refused', () => {
    for (const s of hostile()) {
      const cwd = join(dir, 'cwd');
      mkdirSync(cwd, { recursive: true });
      const r = spawnSync('sh', ['-c', wrapRemoteCommand('printf "%s" "$V"', { env: { V: s }, cwd })], {
        encoding: 'utf8',
        env: { ...process.env, HOME: dir },
      });
      assert.equal(r.stdout, s);
    }
    assert.throws(() => innerScript('true', { env: { [`A;touch ${canary}`]: 'x' } }), /not valid/);
    noCanary();
  });

  test('one TERM-wait-KILL script: refuses anything but a number or a quoted variable; kill script takes only a pgid', () => {
    assert.throws(() => termWaitKillScript(`1; touch ${canary}`, 1), /not a number or a quoted variable/);
    assert.throws(() => termWaitKillScript('$PID', 1), /not a number/);
    assert.throws(() => killGroupScript(Number.NaN, 1000), /not a process group id/);
    assert.match(termWaitKillScript('"$PID"', 2, { termLeaderOnly: true }), /kill -TERM "\$PID" .*\$i -lt 20 .*kill -KILL -- -"\$PID"/s);
    assert.equal(killGroupScript(4321, 500).includes(termWaitKillScript('4321', 0.5)), true, 'the ssh runner uses the same script');
    assert.equal(stopScript('n', '/l', 2).includes(termWaitKillScript('"$PID"', 2, { ifGone: 'echo ALREADY_EXITED' })), true, 'the sweep uses the same script');
  });

  test('ssh command lines (Copy SSH Command -J, identity file, pods): every argument survives quoting, nothing runs', () => {
    const target = {
      label: 'x',
      host: 'gpu.example',
      port: 2222,
      user: 'me',
      identityFiles: [`/keys/my key $(touch ${canary})`],
      jumps: [
        { label: 'j', host: `jump;touch$IFS${canary}`, port: 2200, user: `ops$(touch$IFS${canary})`, identityFiles: [], jumps: [] },
        { label: 'k', host: 'bastion', port: 22, user: 'me', identityFiles: [], jumps: [] },
      ],
    };
    const line = sshCommandLineForHost(target, { name: 'x', kind: 'ssh', source: 'workspace' });
    assert.deepEqual(argvOf(line), [
      'ssh',
      '-p',
      '2222',
      '-i',
      `/keys/my key $(touch ${canary})`,
      '-J',
      `ops$(touch$IFS${canary})@jump;touch$IFS${canary}:2200,me@bastion`,
      'me@gpu.example',
    ]);
    noCanary();
    assert.deepEqual(argvOf(sshCommandLineForHost(target, { name: `lab`, kind: 'ssh', source: 'ssh-config' })), ['ssh', 'lab']);
    // An option disguised as a host or user never reaches ssh.
    assert.throws(() => sshCommandLine({ host: '-oProxyCommand=touch x', port: 22, user: 'me' }), /cannot be used/);
    assert.throws(() => sshCommandLine({ host: 'h', port: 22, user: 'me', jumps: [{ user: '-oProxyCommand=x', host: 'j', port: 22 }] }), /cannot be used/);
    assert.throws(() => sshCommandLine({ host: 'h\nrm -rf ~', port: 22, user: 'me' }), /cannot be used/);
    const pod = sshCommand({ host: `1.2.3.4;touch$IFS${canary}`, port: 22091, user: 'root' }, { localPort: 8888, remotePort: 8888 });
    assert.deepEqual(argvOf(pod), ['ssh', '-p', '22091', `root@1.2.3.4;touch$IFS${canary}`, '-L', '8888:localhost:8888']);
    assert.deepEqual(
      argvOf(pod),
      sshArgv({
        host: `1.2.3.4;touch$IFS${canary}`,
        port: 22091,
        user: 'root',
        localForwards: [{ localPort: 8888, remoteHost: 'localhost', remotePort: 8888 }],
      }),
    );
    noCanary();
  });

  test('probe and remote phase worker builders: hostile work dir, clone dir, url, name, cli path', () => {
    const work = join(dir, `w $(touch ${canary})`);
    mkdirSync(work, { recursive: true });
    const probe = bash(buildProbeScript(work, `/opt/bin:$(touch ${canary})`));
    assert.equal(probe.status, 0, probe.stderr);
    const hostileDir = `~/q $(touch ${canary})`;
    const cmd = remoteWorkerCommand({
      cloneDir: hostileDir,
      remoteUrl: `file:///nope $(touch ${canary})`,
      name: `w;touch ${canary}`,
      cli: `~/bin $(touch ${canary})/airlock.js`,
    });
    // Not run (it would clone); check it parses and that every hostile value sits inside single quotes.
    assert.equal(bash(`bash -n -c ${shellQuote(cmd)}`).status, 0);
    for (const l of cmd.split('\n')) assert.doesNotMatch(l.replace(/'[^']*'/g, "''"), /\$\(touch/, l);
    noCanary();
  });
});

// Keep writeFileSync referenced for ad-hoc debugging of a failing builder (write the script to a file).
void writeFileSync;
