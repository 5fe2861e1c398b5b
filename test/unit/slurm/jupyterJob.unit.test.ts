import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { checkJupyterJobOptions, jupyterJobScript, jupyterSbatchArgv } from '../../../src/core/slurm/jupyterJob';

test('checkJupyterJobOptions names the flag of a bad value before anything reaches the cluster', () => {
  assert.throws(() => checkJupyterJobOptions({ time: '4h' }), /--time "4h" is not a Slurm time/);
  assert.throws(() => checkJupyterJobOptions({ gres: 'gpu 1' }), /--gres/);
  assert.throws(() => checkJupyterJobOptions({ partition: 'gpu;rm -rf ~' }), /--partition/);
  assert.throws(() => checkJupyterJobOptions({ jobName: 'a b' }), /--job-name/);
  assert.throws(() => checkJupyterJobOptions({ sbatchArgs: ['mem=16G'] }), /--sbatch-arg/);
  assert.throws(() => checkJupyterJobOptions({ sbatchArgs: ['--mem=1G\n#SBATCH --x'] }), /--sbatch-arg/);
  checkJupyterJobOptions({ time: '1-00:00:00', gres: 'gpu:a100:2', partition: 'gpu', jobName: 'nb.1', sbatchArgs: ['--mem=16G'] });
});

test('the sbatch options: output in the job directory, no requeue, the picks as given', () => {
  assert.deepEqual(jupyterSbatchArgv({ partition: 'gpu', gres: 'gpu:1', time: '30', sbatchArgs: ['--mem=8G'] }, '~/d/job.out'), [
    '--parsable',
    '--job-name=airlock-jupyter',
    '--output=~/d/job.out',
    '--no-requeue',
    '--partition=gpu',
    '--gres=gpu:1',
    '--time=30',
    '--mem=8G',
  ]);
});

test('the batch script is valid bash, reads the token from its file and puts none on a command line', () => {
  const script = jupyterJobScript('.airlock/slurm/jupyter-x', { setup: 'module load python' });
  assert.equal(spawnSync('bash', ['-n'], { input: script }).status, 0, 'bash -n');
  assert.match(script, /JUPYTER_TOKEN_FILE="\$dir\/token"/);
  assert.match(script, /unset JUPYTER_TOKEN\b/);
  assert.doesNotMatch(script, /--(ServerApp|NotebookApp)\.token|--token/);
  assert.ok(script.indexOf('module load python') < script.indexOf('exec "${jup[@]}"'), 'setup lines run before the server');
});
