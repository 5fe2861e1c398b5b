// The test cluster itself: it starts, schedules GPUs as GRES, runs a batch job to COMPLETED.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { slurmSkipReason, startSlurmCluster, type SlurmTestCluster } from '../../support/slurmCluster';

describe('test Slurm cluster on loopback', { skip: slurmSkipReason(), timeout: 180_000 }, () => {
  let cluster: SlurmTestCluster;
  before(async () => {
    cluster = await startSlurmCluster();
  });
  after(() => cluster?.stop());

  test('sbatch runs a job with a GPU to COMPLETED; squeue --states=all still lists it', async () => {
    const out = join(cluster.dir, 'home/job-%j.out');
    const id = cluster.run('sbatch', '--parsable', '--gres=gpu:1', '-o', out, '--wrap', 'echo "gpus=$CUDA_VISIBLE_DEVICES node=$SLURMD_NODENAME"').trim();
    assert.match(id, /^\d+$/);
    const state = await cluster.waitFor('the job to complete', () => {
      const s = cluster.run('squeue', '-h', '--states=all', '-j', id, '-o', '%T').trim();
      return s === 'COMPLETED' || s === 'FAILED' ? s : undefined;
    });
    assert.equal(state, 'COMPLETED');
    assert.equal(readFileSync(out.replace('%j', id), 'utf8').trim(), 'gpus=0 node=n1');
    await cluster.waitFor('the jobcomp record', () => readFileSync(cluster.jobcompPath, 'utf8').includes(`JobId=${id} `));
    assert.match(readFileSync(cluster.jobcompPath, 'utf8'), new RegExp(`JobId=${id} .*JobState=COMPLETED`));
  });

  test('GPUs are scheduled: a job asking for more GPUs than free waits with reason Resources', async () => {
    const hold = cluster.run('sbatch', '--parsable', '--gres=gpu:3', '-o', '/dev/null', '--wrap', 'sleep 30').trim();
    await cluster.waitFor('the 3-GPU job to run', () => cluster.run('squeue', '-h', '-j', hold, '-o', '%T').trim() === 'RUNNING');
    const wait = cluster.run('sbatch', '--parsable', '--gres=gpu:2', '-o', '/dev/null', '--wrap', 'true').trim();
    const reason = await cluster.waitFor('a pending reason', () => {
      const [st, r] = cluster.run('squeue', '-h', '-j', wait, '-o', '%T|%r').trim().split('|');
      return st === 'PENDING' && r !== 'None' ? r : undefined;
    });
    assert.equal(reason, 'Resources');
    cluster.run('scancel', hold);
    const st = await cluster.waitFor('the 2-GPU job to finish after the cancel', () => {
      const s = cluster.run('squeue', '-h', '--states=all', '-j', wait, '-o', '%T').trim();
      return s === 'COMPLETED' ? s : undefined;
    });
    assert.equal(st, 'COMPLETED');
  });
});
