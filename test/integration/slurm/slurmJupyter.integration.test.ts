// Jupyter on a compute node of a real Slurm cluster, through an sshd login node on loopback: the job
// pends while the GPUs are taken (and says why), its server listens with a fresh token, the tunnel
// through the login node carries a notebook run on its kernel, and Ctrl+C / cancel ends the job
// with nothing left in squeue. No mocked sbatch/squeue; the real jupyter-server and ipykernel.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runNotebook } from '../../../src/core/notebook/jupyterRun';
import { SshRunner } from '../../../src/core/hosts/sshRunner';
import { SshConnectionPool } from '../../../src/core/ssh/connectionPool';
import { refuseUnknownHostKeys } from '../../../src/core/ssh/hostKeyPolicy';
import { startJupyterOnSlurm } from '../../../src/core/slurm/jupyterOnSlurm';
import type { JupyterJobProgress } from '../../../src/core/slurm/jupyterJob';
import { isCancelled } from '../../../src/core/process/errors';
import { cliBundle } from '../../support/cliBundle';
import { jupyterSkipReason } from '../../support/jupyterServer';
import { trackGroup } from '../../support/processGroups';
import { slurmSkipReason, startSlurmCluster, type SlurmTestCluster } from '../../support/slurmCluster';
import { sshdSkipReason, startSshHosts, type SshTestHosts } from '../../support/sshd';

const skip = slurmSkipReason() ?? sshdSkipReason() ?? jupyterSkipReason();

const notebook = (...cells: string[]) => ({
  cells: cells.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
  nbformat: 4,
  nbformat_minor: 5,
});

describe('Jupyter on a Slurm compute node', { skip, timeout: 240_000 }, () => {
  let cluster: SlurmTestCluster;
  let login: SshTestHosts;
  let pool: SshConnectionPool;
  before(async () => {
    cluster = await startSlurmCluster({ killWaitSec: 10 });
    // Debian's python first on the node, as a module line would put a site's python first.
    login = await startSshHosts(1, { aliasPrefix: 'airlock-sj', sshdConfig: cluster.sshdConfig() });
    await cluster.makeLoginNode(login.hosts[0]!);
    pool = new SshConnectionPool({ hostKeyPolicy: refuseUnknownHostKeys, agentSocket: null, connectTimeoutSec: 10 });
  });
  after(async () => {
    pool?.dispose();
    await cluster?.stop();
    await login?.stop();
  });

  const active = () => cluster.run('squeue', '-h', '-o', '%i|%j|%T').trim();
  const state = (id: string) => cluster.run('squeue', '-h', '--states=all', '-j', id, '-o', '%T').trim();
  const jobDirs = () =>
    existsSync(join(cluster.home, '.airlock/slurm')) ? readdirSync(join(cluster.home, '.airlock/slurm')).filter((d) => d.startsWith('jupyter-')) : [];
  /** A job holding every GPU, so the next GPU job pends with reason Resources. */
  const takeAllGpus = () => cluster.run('sbatch', '--parsable', '-J', 'blocker', '--gres=gpu:4', '-o', '/dev/null', '--wrap', 'sleep 300').trim();
  const setup = 'export PATH=/usr/bin:$PATH';

  /** `airlock slurm jupyter` as a user runs it, in its own process group (killed if a test fails). */
  const startCli = (...args: string[]) => {
    const child = spawn(process.execPath, [cliBundle(), 'slurm', 'jupyter', 'airlock-sj-1', '--setup', setup, '--ssh-config', login.sshConfigPath, ...args], {
      cwd: login.dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackGroup(child.pid!);
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => (out.stdout += d));
    child.stderr.on('data', (d: Buffer) => (out.stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? -1 : null))));
    return { child, out, exited, kill: (sig: NodeJS.Signals) => process.kill(-child.pid!, sig) };
  };
  const stopAll = () => {
    // After a failed assertion: the CLI's group and every job, so the next test starts clean.
    spawnSync('scancel', ['--full', ...cluster.run('squeue', '-h', '-o', '%i').split('\n').filter(Boolean)], { env: { ...process.env, ...cluster.env } });
  };

  test('airlock slurm jupyter: pends with its reason, then serves a notebook through the tunnel; Ctrl+C cancels the job, nothing left in squeue', async (t) => {
    const blocker = takeAllGpus();
    await cluster.waitFor('the blocker to run', () => state(blocker) === 'RUNNING');
    const cli = startCli('--gres', 'gpu:1', '--time', '10:00');
    t.after(() => {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.kill('SIGKILL');
      stopAll();
    });
    const { child, exited } = cli;
    const o = cli.out;
    const jobId = await cluster.waitFor('the job to be submitted', () => /submitted job (\d+)/.exec(o.stderr)?.[1], 60_000);
    await cluster
      .waitFor('the pending reason', () => /is pending \(Resources\)/.test(o.stderr), 60_000)
      .catch((e: Error) => assert.fail(`${e.message}\n${o.stderr}`));
    assert.equal(state(jobId), 'PENDING');
    assert.equal(o.stdout, '', 'no URL while the job pends');
    cluster.run('scancel', blocker);
    const link = await cluster
      .waitFor('the URL', () => /^(http:\/\/127\.0\.0\.1:\d+\/)\?token=([0-9a-f]{48})$/m.exec(o.stdout) ?? undefined, 90_000)
      .catch((e: Error) => assert.fail(`${e.message}\n${o.stderr}`));
    const [, url, token] = link;
    assert.equal(state(jobId), 'RUNNING');
    assert.match(o.stderr, /Jupyter listens on [^ ]+:\d+ \(n1\); tunnelling through airlock-sj-1/);
    // The token is in no process's command line (ps shows every user's argv) and in no log line.
    const argv = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
    assert.equal(argv.includes(token!), false, 'the token is on a command line');
    assert.equal(o.stderr.includes(token!), false);
    // Without the token the server refuses: it is the job's server, not an open one.
    assert.equal((await fetch(`${url}api/kernels`)).status, 403);
    const r = await runNotebook(notebook('import os\nprint(os.environ["SLURM_JOB_ID"], os.environ.get("CUDA_VISIBLE_DEVICES"))', '6 * 7'), {
      serverUrl: url!,
      token: token!,
      timeoutMs: 60_000,
    });
    assert.equal(r.error, undefined);
    assert.equal(r.executed, 2);
    const cells = r.notebook.cells as { outputs: { text?: string; data?: Record<string, string> }[] }[];
    assert.equal(cells[0]!.outputs[0]!.text, `${jobId} 0\n`, 'the kernel runs inside the job, on its one GPU');
    assert.equal(cells[1]!.outputs[0]!.data!['text/plain'], '42');
    // On the cluster's disk the token is only in the job's 0700 directory (token 0600, runtime file, output).
    assert.equal(jobDirs().length, 1);
    const dir = join(cluster.home, '.airlock/slurm', jobDirs()[0]!);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'token')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(dir, 'token'), 'utf8'), token);
    assert.equal(readFileSync(join(dir, 'jupyter.sbatch'), 'utf8').includes(token!), false, 'the token is in the batch script');
    child.kill('SIGINT');
    assert.equal(await exited, 130, o.stderr);
    assert.match(o.stderr, new RegExp(`job ${jobId} cancelled; nothing left in squeue`));
    assert.equal(state(jobId), 'CANCELLED');
    assert.equal(active(), '', 'nothing left in squeue');
    assert.deepEqual(jobDirs(), [], "the job's directory (token, runtime file) is removed");
    await assert.rejects(fetch(`${url}api/status`), 'the tunnel is closed');
  });

  test('a start cancelled while the job pends cancels the job; a job that cannot start says why', async () => {
    const runner = new SshRunner({ name: 'airlock-sj-1', kind: 'ssh', source: 'ssh-config' }, pool, { sshConfigPath: login.sshConfigPath });
    const blocker = takeAllGpus();
    await cluster.waitFor('the blocker to run', () => state(blocker) === 'RUNNING');
    const stop = new AbortController();
    const seen: JupyterJobProgress[] = [];
    let jobId = '';
    await assert.rejects(
      startJupyterOnSlurm(
        runner,
        { gres: 'gpu:1', setup },
        {
          signal: stop.signal,
          intervalMs: 500,
          onSubmitted: (j) => (jobId = j.jobId),
          onProgress: (p) => {
            seen.push(p);
            if (p.kind === 'pending' && p.reason === 'Resources') stop.abort();
          },
        },
      ),
      (err: unknown) => isCancelled(err),
    );
    assert.deepEqual(seen.at(-1), { kind: 'pending', jobId, reason: 'Resources' });
    assert.equal(state(jobId), 'CANCELLED');
    cluster.run('scancel', blocker);
    await cluster.waitFor('the blocker to end', () => active() === '', 30_000);
    // No Jupyter on the node's PATH: the job fails, and the error quotes what it wrote.
    await assert.rejects(startJupyterOnSlurm(runner, { setup: 'PATH=/nonexistent' }, { intervalMs: 500 }), (err: Error) => {
      assert.match(err.message, /ended \(FAILED/);
      assert.match(err.message, /no Jupyter server on n1: neither jupyter-server nor jupyter is on PATH/);
      return true;
    });
    assert.equal(active(), '');
    assert.deepEqual(jobDirs(), []);
  });
  test('a controller killed with SIGKILL (no cleanup of ours runs) still ends the job: the login node cancels it when the SSH connection closes', async (t) => {
    const cli = startCli('--time', '10:00');
    t.after(() => {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.kill('SIGKILL');
      stopAll();
    });
    const o = cli.out;
    await cluster
      .waitFor('the URL', () => /^http:\/\/127\.0\.0\.1:\d+\/\?token=/m.test(o.stdout), 90_000)
      .catch((e: Error) => assert.fail(`${e.message}\n${o.stderr}`));
    const jobId = /submitted job (\d+)/.exec(o.stderr)![1]!;
    assert.equal(state(jobId), 'RUNNING', o.stderr);
    assert.equal(cli.child.exitCode, null, o.stderr);
    cli.kill('SIGKILL');
    await cli.exited;
    await cluster.waitFor('the job to be cancelled', () => active() === '', 60_000).catch((e: Error) => assert.fail(`${e.message}\n${active()}`));
    assert.equal(state(jobId), 'CANCELLED');
    await cluster.waitFor("the job's directory to be removed", () => jobDirs().length === 0, 60_000);
  });
});
