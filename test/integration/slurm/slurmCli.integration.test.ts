// `airlock slurm …` and `airlock phases submit` against a real Slurm cluster, through an sshd login
// node on loopback (our SSH layer; no mocked sbatch/squeue). Workers run as array tasks on n1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliBundle } from '../../support/cliBundle';
import { slurmArrays } from '../../support/slurmArrays';
import { slurmSkipReason, startSlurmCluster, type SlurmTestCluster } from '../../support/slurmCluster';
import { sshdSkipReason, startSshHosts, type SshTestHosts } from '../../support/sshd';

const skip = slurmSkipReason() ?? sshdSkipReason();

describe('Slurm through a login node', { skip, timeout: 900_000 }, () => {
  let cluster: SlurmTestCluster;
  let login: SshTestHosts;
  const s = slurmArrays(() => ({ cluster, login }));
  before(async () => {
    cluster = await startSlurmCluster({ killWaitSec: 20 });
    login = await startSshHosts(1, { aliasPrefix: 'airlock-slurm', sshdConfig: cluster.sshdConfig() });
    await cluster.makeLoginNode(login.hosts[0]!);
  });
  after(async () => {
    await cluster?.stop();
    await login?.stop();
    s.dispose();
  });

  const { cli, squeue, allEnded, results, taskOutput } = s;
  const queue = (command: string, axes: Record<string, string[]>, reruns = 1) => s.queue(command, axes, { reruns });

  test('slurm status and jobs read partitions, GPUs and my jobs over SSH; the probe sees a cluster', async () => {
    const probe = cli(login.dir, 'hosts', 'probe', 'airlock-slurm-1', '--json');
    assert.equal(probe.code, 0, probe.stderr);
    assert.equal(JSON.parse(probe.stdout)[0].scheduler, 'slurm');
    // This machine has Slurm's client tools too, but no cluster answers them here (no SLURM_CONF): not a cluster.
    const here = spawnSync(process.execPath, [cliBundle(), 'hosts', 'probe', 'local', '--json'], {
      cwd: login.dir,
      encoding: 'utf8',
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'SLURM_CONF')),
    });
    assert.equal(here.status, 0, here.stderr);
    assert.equal(JSON.parse(here.stdout)[0].scheduler, undefined, 'sbatch and sinfo installed without a cluster');
    const st = cli(login.dir, 'slurm', 'status', 'airlock-slurm-1', '--json');
    assert.equal(st.code, 0, st.stderr);
    const state = JSON.parse(st.stdout);
    assert.equal(state.defaultPartition, 'gpu');
    assert.deepEqual(
      state.partitions.map((p: { name: string; nodeCount: number; gpusTotal: number; nodes: { idle: number } }) => [p.name, p.nodeCount, p.gpusTotal]),
      [['gpu', 1, 4]],
    );
    const id = cluster.run('sbatch', '--parsable', '-J', 'name with | bar', '--gres=gpu:2', '-o', '/dev/null', '--wrap', 'sleep 60').trim();
    await cluster.waitFor('the job to run', () => squeue(id)[0]?.[1] === 'RUNNING');
    const jobs = cli(login.dir, 'slurm', 'jobs', 'airlock-slurm-1', '--json');
    assert.equal(jobs.code, 0, jobs.stderr);
    const mine = JSON.parse(jobs.stdout).find((j: { id: string }) => j.id === id);
    assert.deepEqual(
      { name: mine.name, state: mine.state, gpus: mine.gpus, nodes: mine.nodes },
      { name: 'name with | bar', state: 'RUNNING', gpus: 2, nodes: 'n1' },
    );
    const used = JSON.parse(cli(login.dir, 'slurm', 'status', 'airlock-slurm-1', '--json').stdout).partitions[0];
    assert.deepEqual([used.gpusUsed, used.nodes.mixed], [2, 1]);
    const c = cli(login.dir, 'slurm', 'cancel', 'airlock-slurm-1', id);
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(await cluster.waitFor('the cancel', () => allEnded(id)), [[id, 'CANCELLED']]);
    const bad = cli(login.dir, 'slurm', 'cancel', 'airlock-slurm-1', '1; rm -rf /');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /is not a Slurm job id/);
  });

  // The three runs share the node (4 + 2 + 1 CPUs of 8; only the drain asks for GPUs), so they run at once.
  describe('phase workers as job arrays', { concurrency: true }, () => {
    test('a 4-task array drains a 40-entry phase: every entry runs once, no claim left', async () => {
      const runLog = join(cluster.dir, 'home/drain.log');
      const q = queue(`echo "{entry} $SLURM_ARRAY_JOB_ID $SLURM_ARRAY_TASK_ID" >> ${runLog}; echo '{{"ok": 1}}' > {result}`, {
        a: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
        b: ['x', 'y', 'z', 'w'],
      });
      const clone = q.clone('submitter');
      const sub = cli(clone, 'phases', 'submit', '--cluster', 'airlock-slurm-1', '--workers', '4', '--partition', 'gpu', '--gres', 'gpu:1', '--time', '10:00');
      assert.equal(sub.code, 0, sub.stderr);
      const job = sub.stdout.trim();
      assert.match(job, /^\d+$/);
      const ended = await cluster.waitFor('the array to end', () => allEnded(job), 240_000);
      assert.deepEqual(
        ended.map(([, s]) => s),
        ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED'],
        ended.map(([i]) => taskOutput(job, i.split('_')[1]!)).join('\n'),
      );
      assert.equal(results(q).length, 40);
      assert.deepEqual(q.remoteClaims(), []);
      const runs = readFileSync(runLog, 'utf8').trim().split('\n');
      const entries = runs.map((l) => l.split(' ')[0]);
      assert.equal(new Set(entries).size, 40, 'each entry ran');
      assert.equal(entries.length, 40, 'no entry ran twice');
      assert.ok(new Set(runs.map((l) => l.split(' ')[2])).size >= 2, 'more than one task did work');
      assert.ok(
        runs.every((l) => l.split(' ')[1] === job),
        'entries ran inside the array job',
      );
      // Each task removed its clone from the node's scratch.
      assert.deepEqual(
        readdirSync('/tmp').filter((d) => d.startsWith(`airlock-queue-${job}_`)),
        [],
      );
    });

    test('scancel of the task running an entry releases its claim and another task takes the entry over', async () => {
      // `|| exit 143`: scancel signals every process of the task one by one; a shell whose sleep died first would go on and log "run" before its own SIGTERM came (CI saw it) — a real command that is killed fails too.
      const runLog = join(cluster.dir, 'home/cancel.log');
      const mark = join(cluster.dir, 'home/cancel.mark');
      const q = queue(
        `if [ {a} = c ] && mkdir ${mark} 2>/dev/null; then echo "slow {entry} $SLURM_ARRAY_TASK_ID" >> ${runLog}; sleep 300 || exit 143; fi; echo "run {entry} $SLURM_ARRAY_TASK_ID" >> ${runLog}; echo '{{"ok": 1}}' > {result}`,
        { a: ['a', 'b', 'c', 'd', 'e', 'f'] },
      );
      const sub = cli(q.clone('submitter'), 'phases', 'submit', '--cluster', 'airlock-slurm-1', '--workers', '2');
      assert.equal(sub.code, 0, sub.stderr);
      const job = sub.stdout.trim();
      const slowTask = await cluster.waitFor(
        'the slow entry to start',
        () => (existsSync(runLog) ? /^slow \S+ (\d+)$/m.exec(readFileSync(runLog, 'utf8'))?.[1] : undefined),
        120_000,
      );
      assert.equal(q.remoteClaims().length >= 1, true);
      cluster.run('scancel', `${job}_${slowTask}`);
      const ended = await cluster
        .waitFor('the array to end', () => allEnded(job), 180_000)
        .catch((err: Error) => assert.fail(`${err.message}\n${['0', '1'].map((t) => taskOutput(job, t)).join('\n')}\n${JSON.stringify(squeue(job))}`));
      const states = new Map(ended);
      assert.equal(states.get(`${job}_${slowTask}`), 'CANCELLED');
      assert.equal(states.get(`${job}_${1 - Number(slowTask)}`), 'COMPLETED');
      const outputs = ['0', '1'].map((t) => taskOutput(job, t)).join('\n');
      assert.match(taskOutput(job, slowTask), /released the claim/, outputs);
      assert.equal(results(q).length, 6, outputs);
      assert.deepEqual(q.remoteClaims(), []);
      const log = readFileSync(runLog, 'utf8');
      assert.match(log, new RegExp(`^run c_0\\.json ${1 - Number(slowTask)}$`, 'm'), 'the other task ran the cancelled entry');
      assert.doesNotMatch(log, new RegExp(`^run c_0\\.json ${slowTask}$`, 'm'));
    });

    test('a task near its time limit is warned (--signal) and releases its claim; the next array finishes the entry', async () => {
      const runLog = join(cluster.dir, 'home/limit.log');
      const mark = join(cluster.dir, 'home/limit.mark');
      const q = queue(
        `if mkdir ${mark} 2>/dev/null; then echo "slow {entry} $SLURM_ARRAY_JOB_ID" >> ${runLog}; sleep 300 || exit 143; fi; echo "run {entry} $SLURM_ARRAY_JOB_ID" >> ${runLog}; echo '{{"ok": 1}}' > {result}`,
        { a: ['only'] },
      );
      const clone = q.clone('submitter');
      const sub = cli(clone, 'phases', 'submit', '--cluster', 'airlock-slurm-1', '--workers', '1', '--time', '2', '--signal-sec', '30');
      assert.equal(sub.code, 0, sub.stderr);
      const job = sub.stdout.trim();
      // What the task printed and what Slurm says of it, in every failure message below.
      const seen = () =>
        [
          `task output:\n${s.taskOutputIfAny(job, '0')}`,
          `run log:\n${existsSync(runLog) ? readFileSync(runLog, 'utf8') : '(none yet)'}`,
          `scontrol:\n${cluster.run('scontrol', 'show', 'job', job)}`,
        ].join('\n');
      await cluster.waitFor('the entry to start', () => existsSync(runLog), 120_000).catch((e: Error) => assert.fail(`${e.message}\n${seen()}`));
      assert.equal(q.remoteClaims().length, 1, seen());
      await cluster.waitFor('the task to end', () => allEnded(job), 240_000).catch((e: Error) => assert.fail(`${e.message}\n${seen()}`));
      const out = taskOutput(job, '0');
      assert.match(out, /the time limit is near/, seen());
      assert.match(out, /released the claim/, seen());
      assert.deepEqual(q.remoteClaims(), [], `no stale lease left behind\n${seen()}`);
      assert.equal(results(q).length, 0, seen());
      const again = cli(clone, 'phases', 'submit', '--cluster', 'airlock-slurm-1', '--workers', '1');
      assert.equal(again.code, 0, again.stderr);
      const second = again.stdout.trim();
      await cluster
        .waitFor('the second array to end', () => allEnded(second), 180_000)
        .catch((e: Error) => assert.fail(`${e.message}\n${s.taskOutputIfAny(second, '0')}`));
      assert.equal(results(q).length, 1, `${taskOutput(second, '0')}\n${seen()}`);
      assert.match(readFileSync(runLog, 'utf8'), new RegExp(`^run only_0\\.json ${again.stdout.trim()}$`, 'm'));
    });
  });
});
