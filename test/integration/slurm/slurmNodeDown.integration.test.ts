// A node set DOWN while an array task runs an entry, with and without `--requeue`, on a real Slurm
// cluster (slurmctld + slurmd on loopback, proctrack/linuxproc) behind an sshd login node.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { slurmArrays } from '../../support/slurmArrays';
import { slurmSkipReason, startSlurmCluster, type SlurmTestCluster } from '../../support/slurmCluster';
import { sshdSkipReason, startSshHosts, type SshTestHosts } from '../../support/sshd';

const skip = slurmSkipReason() ?? sshdSkipReason();

describe('a Slurm node set DOWN mid-entry', { skip, timeout: 600_000 }, () => {
  let cluster: SlurmTestCluster;
  let login: SshTestHosts;
  const s = slurmArrays(() => ({ cluster, login }));
  const jobs: string[] = [];
  const planted: string[] = [];
  before(async () => {
    // cred_expire: a requeued task may start 10 s after it was requeued (Slurm's default is 120 s).
    cluster = await startSlurmCluster({ killWaitSec: 20, credExpireSec: 10 });
    login = await startSshHosts(1, { aliasPrefix: 'airlock-slurm', sshdConfig: cluster.sshdConfig() });
    await cluster.makeLoginNode(login.hosts[0]!);
  });
  after(async () => {
    // Whatever of our tasks a failed assertion left running, by PID (only this cluster's, only these jobs).
    const left = cluster ? jobs.flatMap(jobProcesses) : [];
    for (const pid of left) tryKill(pid);
    await cluster?.stop();
    await login?.stop();
    s.dispose();
    for (const d of planted) rmSync(d, { recursive: true, force: true });
  });

  /** Processes of this cluster's array `job` (their environment says so): the batch shell, the worker, the entry's command. */
  function jobProcesses(job: string): number[] {
    const ours = [`SLURM_CONF=${cluster.confPath}\0`, `SLURM_ARRAY_JOB_ID=${job}\0`].map((n) => Buffer.from(n));
    return readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e))
      .filter((e) => {
        try {
          const env = readFileSync(`/proc/${e}/environ`);
          return ours.every((n) => env.includes(n));
        } catch {
          return false;
        }
      })
      .map(Number);
  }
  const ps = (pids: number[]) =>
    pids
      .map((p) => {
        try {
          return `${p} ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ')}`;
        } catch {
          return `${p} (gone)`;
        }
      })
      .join('\n');
  const nodeState = () => cluster.run('sinfo', '-h', '-N', '-o', '%T').trim();

  /** Submits a one-entry queue whose entry sleeps the first time it runs, and waits until it runs. */
  async function startSlowEntry(name: string, submitArgs: string[]) {
    const runLog = join(cluster.dir, `home/${name}.log`);
    const mark = join(cluster.dir, `home/${name}.mark`);
    // Every run of the entry logs its array job and restart count; only the first one sleeps.
    const q = s.queue(
      `echo "start {entry} $SLURM_ARRAY_JOB_ID r$SLURM_RESTART_COUNT" >> ${runLog}; if mkdir ${mark} 2>/dev/null; then sleep 300 || exit 143; fi; echo "run {entry} $SLURM_ARRAY_JOB_ID r$SLURM_RESTART_COUNT" >> ${runLog}; echo '{{"ok": 1}}' > {result}`,
      { a: ['only'] },
      { leaseSec: 15 },
    );
    const clone = q.clone('submitter');
    const sub = s.cli(clone, 'phases', 'submit', '--cluster', 'airlock-slurm-1', '--workers', '1', ...submitArgs);
    assert.equal(sub.code, 0, sub.stderr);
    const job = sub.stdout.trim();
    jobs.push(job);
    const log = () => (existsSync(runLog) ? readFileSync(runLog, 'utf8') : '');
    // What the task printed, what Slurm says of it and what of it still runs, in every failure message.
    const seen = (j = job) =>
      [
        `task output:\n${s.taskOutputIfAny(j, '0')}`,
        `run log:\n${log() || '(none yet)'}`,
        `scontrol:\n${cluster.run('scontrol', 'show', 'job', j)}`,
        `node: ${nodeState()}`,
        `processes:\n${ps(jobProcesses(j)) || '(none)'}`,
      ].join('\n');
    await cluster
      .waitFor('the entry to sleep', () => log().includes('start') && ps(jobProcesses(job)).includes(' sleep 300'), 120_000)
      .catch((e: Error) => assert.fail(`${e.message}\n${seen()}`));
    assert.deepEqual(q.remoteClaims(), ['only_0.json'], seen());
    // The batch shell, the worker, the entry's shell and its sleep: none may outlive the node's failure.
    const entryProcs = jobProcesses(job);
    for (const p of [/slurm_script/, /airlock\.js worker --host /, / sleep 300/]) assert.match(ps(entryProcs), p, seen());
    return { q, clone, job, log, seen, entryProcs };
  }
  const setDown = () => cluster.run('scontrol', 'update', `nodename=${cluster.node}`, 'state=down', 'reason=airlock-test');
  /** Back to service. With ReturnToService=2 slurmd's next registration may already have done it. */
  const resume = () => {
    if (!/^(idle|mixed|allocated)/.test(nodeState())) cluster.run('scontrol', 'update', `nodename=${cluster.node}`, 'state=resume');
  };
  /** The ones still running (a zombie has ended; its parent has not reaped it yet). */
  const alive = (pids: number[]) =>
    pids.filter((p) => {
      try {
        return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${p}/stat`, 'utf8'));
      } catch {
        return false;
      }
    });

  test('without --requeue: NODE_FAIL, the task gets SIGTERM and releases its claim; the next array runs the entry once', async () => {
    const { q, clone, job, log, seen, entryProcs } = await startSlowEntry('down', []);
    setDown();
    const ended = await s.allEndedWait(job).catch((e: Error) => assert.fail(`${e.message}\n${seen()}`));
    assert.deepEqual(ended, [[`${job}_0`, 'NODE_FAIL']], seen());
    assert.match(cluster.run('scontrol', 'show', 'job', job), /JobState=NODE_FAIL Reason=NodeDown/, seen());
    // slurmctld records NODE_FAIL at once; the node's slurmstepd is still signalling the task's processes.
    await cluster
      .waitFor("the task's processes to be gone", () => alive(jobProcesses(job)).length === 0, 60_000)
      .catch((e: Error) => assert.fail(`${e.message}\n${ps(alive(jobProcesses(job)))}\n${seen()}`));
    assert.deepEqual(alive(entryProcs), [], seen());
    const out = s.taskOutput(job, '0');
    assert.match(out, /CANCELLED AT \S+ DUE TO NODE FAILURE/, seen());
    assert.match(out, /SIGTERM from Slurm/, seen());
    assert.match(out, /released the claim on only_0\.json/, seen());
    assert.deepEqual(q.remoteClaims(), [], `the claim is released, not left to its lease\n${seen()}`);
    assert.equal(s.results(q).length, 0, seen());
    resume();
    const again = s.cli(clone, 'phases', 'submit', '--cluster', 'airlock-slurm-1', '--workers', '1');
    assert.equal(again.code, 0, again.stderr);
    const second = again.stdout.trim();
    jobs.push(second);
    const ended2 = await s.allEndedWait(second).catch((e: Error) => assert.fail(`${e.message}\n${seen(second)}`));
    assert.deepEqual(ended2, [[`${second}_0`, 'COMPLETED']], seen(second));
    assert.equal(s.results(q).length, 1, seen(second));
    assert.deepEqual(q.remoteClaims(), [], seen(second));
    const runs = log()
      .split('\n')
      .filter((l) => l.startsWith('run '));
    assert.deepEqual(runs, [`run only_0.json ${second} r`], `the entry finished once, in the second array\n${seen(second)}`);
  });

  test('with --requeue: Slurm requeues the task, which clones afresh (-r1) and finishes the entry once', async () => {
    const { q, job, log, seen, entryProcs } = await startSlowEntry('requeue', ['--requeue']);
    // Where the requeued run would clone if the path were only job, task and restart: what a SIGKILLed
    // run of the same id left in /tmp, or another cluster's task with that id on a shared node (job ids repeat).
    const taken = join('/tmp', `airlock-queue-${job}_0-r1`);
    mkdirSync(taken);
    planted.push(taken);
    writeFileSync(join(taken, 'not-yours'), 'x');
    setDown();
    // The first run is signalled as without --requeue; Slurm puts the task back in the queue, held until BeginTime (cred_expire).
    const states = new Set<string>();
    const pending = await cluster
      .waitFor('the task to be requeued', () => {
        const row = cluster.run('squeue', '-h', '--states=all', '-j', `${job}_0`, '-o', '%T|%r').trim();
        states.add(row);
        return row.startsWith('PENDING|') && row;
      })
      .catch((e: Error) => assert.fail(`${e.message}\nstates seen: ${[...states].join(', ')}\n${seen()}`));
    assert.ok(pending);
    // Requeued at once, not ended: pending again with its restart counted (the reason turns to BeginTime a moment later).
    assert.match(cluster.run('scontrol', 'show', 'job', job), /JobState=PENDING [^]*Requeue=1 Restarts=1 /, seen());
    await cluster
      .waitFor("the first run's processes to be gone", () => alive(entryProcs).length === 0, 60_000)
      .catch((e: Error) => assert.fail(`${e.message}\n${ps(alive(entryProcs))}\n${seen()}`));
    assert.match(s.taskOutput(job, '0'), /released the claim on only_0\.json/, seen());
    resume();
    const ended = await s.allEndedWait(job).catch((e: Error) => assert.fail(`${e.message}\n${seen()}`));
    assert.deepEqual(ended, [[`${job}_0`, 'COMPLETED']], seen());
    const restarts = /Requeue=(\d+) Restarts=(\d+)/.exec(cluster.run('scontrol', 'show', 'job', job));
    assert.equal(restarts?.[1], '1', seen());
    assert.ok(Number(restarts?.[2]) >= 1, `Restarts>=1\n${seen()}`);
    const out = s.taskOutput(job, '0');
    assert.match(out, new RegExp(`cloning the queue into \\S+/airlock-queue-${job}_0-r0\\.\\w+\\n`), seen());
    assert.match(out, new RegExp(`cloning the queue into \\S+/airlock-queue-${job}_0-r1\\.\\w+\\n`), `the requeued task cloned afresh\n${seen()}`);
    assert.match(out, /pushed only_0\.json/, seen());
    assert.equal(s.results(q).length, 1, seen());
    assert.deepEqual(q.remoteClaims(), [], seen());
    const lines = log().trim().split('\n');
    assert.deepEqual(lines, [`start only_0.json ${job} r`, `start only_0.json ${job} r1`, `run only_0.json ${job} r1`], seen());
    const clones = [...out.matchAll(/cloning the queue into (\S+)$/gm)].map((m) => m[1]!);
    assert.equal(clones.length, 2, seen());
    assert.deepEqual(
      clones.filter((c) => existsSync(c)),
      [],
      `both runs removed their clones\n${seen()}`,
    );
    assert.deepEqual(readdirSync(taken), ['not-yours'], 'a directory the task did not make is left alone');
    assert.deepEqual(alive(jobProcesses(job)), [], seen());
  });
});

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}
