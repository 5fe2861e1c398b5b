import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { shellQuote } from '../../../src/core/shell/quote';
import { parseProbeOutput } from '../../../src/core/hosts/probe';
import { probeMarker } from '../../../src/core/hosts/probeParse';
import { parseHostsFile } from '../../../src/core/hosts/hostsFile';
import { countGpus, groupJobs, nodeState, parseSinfo, parseSqueue, summarizePartitions } from '../../../src/core/slurm/slurmParse';
import { checkWorkerArrayOptions, sbatchArgv, workerArrayScript } from '../../../src/core/slurm/workerArray';

test('countGpus reads every GRES spelling sinfo and squeue print', () => {
  assert.equal(countGpus('gpu:4'), 4);
  assert.equal(countGpus('gpu:a100:2(S:0-1)'), 2);
  assert.equal(countGpus('gpu:a100:2(IDX:0-1),gpu:v100:1(IDX:2),mps:100'), 3);
  assert.equal(countGpus('(null)'), 0);
  assert.equal(countGpus(''), 0);
});

test('node states drop Slurm suffixes (* not responding, ~ powered off, + etc.)', () => {
  assert.deepEqual(['idle', 'mixed', 'allocated', 'down*', 'drained', 'draining', 'idle~', 'completing', 'planned'].map(nodeState), [
    'idle',
    'mixed',
    'allocated',
    'down',
    'drain',
    'drain',
    'idle',
    'allocated',
    'other',
  ]);
});

test('sinfo rows become partitions with node states, GPUs used/total and down reasons', () => {
  const rows = parseSinfo(
    [
      'gpu|n1|mixed|gpu:a100:4(S:0)|gpu:a100:3(IDX:0-2)|5/3/0/8|none',
      'gpu|n2|down*|gpu:a100:4(S:0)|gpu:a100:0(IDX:N/A)|0/0/8/8|Not responding|really',
      'cpu|c1|idle|(null)|gpu:0|0/64/0/64|none',
    ].join('\n'),
  );
  const parts = summarizePartitions(rows);
  assert.deepEqual(
    parts.map((p) => [p.name, p.nodeCount, p.nodes.mixed, p.nodes.down, p.gpusUsed, p.gpusTotal, p.cpusAlloc, p.cpusTotal]),
    [
      ['gpu', 2, 1, 1, 3, 8, 5, 16],
      ['cpu', 1, 0, 0, 0, 0, 0, 64],
    ],
  );
  assert.deepEqual(parts[0]!.unavailable, [{ node: 'n2', state: 'down*', reason: 'Not responding|really' }]);
});

test('squeue rows keep a name with "|" whole and group array tasks under their array', () => {
  const jobs = parseSqueue(
    [
      '7_0|7|0|RUNNING|gpu|gres:gpu:1|1:02|10:00|1|ana|n1|None|airlock-workers',
      '7_[1-3]|7|1-3|PENDING|gpu|gres:gpu:1|0:00|10:00|1|ana||Resources|airlock-workers',
      '9|9|N/A|RUNNING|gpu|N/A|0:05|UNLIMITED|1|ana|n1|None|a | b',
    ].join('\n'),
  );
  assert.deepEqual(jobs[1], {
    id: '7_[1-3]',
    arrayJobId: '7',
    arrayTaskId: '1-3',
    state: 'PENDING',
    partition: 'gpu',
    tres: 'gres:gpu:1',
    gpus: 1,
    elapsed: '0:00',
    limit: '10:00',
    nodeCount: 1,
    user: 'ana',
    reason: 'Resources',
    name: 'airlock-workers',
  });
  assert.equal(jobs[2]!.name, 'a | b');
  assert.equal(jobs[2]!.gpus, 0);
  assert.deepEqual(
    groupJobs(jobs).map((g) => [g.id, g.jobs.length]),
    [
      ['7', 2],
      ['9', 1],
    ],
  );
});

test('the sbatch script quotes the queue URL and phases; resources go on the command line', () => {
  const o = {
    workers: 4,
    remoteUrl: "ssh://git@x/q.git'; rm -rf ~",
    cliPath: '~/.airlock/bin/airlock.js',
    phases: ['p1'],
    gres: 'gpu:1',
    time: '4:00:00',
    partition: 'gpu',
  };
  const script = workerArrayScript(o);
  assert.ok(script.includes(`git clone -q ${shellQuote(o.remoteUrl)} "$clone"`));
  assert.ok(script.includes(`node "$HOME"/.airlock/bin/airlock.js worker --host "$name" --phase p1 &`));
  // The script is valid bash.
  assert.equal(spawnSync('bash', ['-n'], { input: script }).status, 0);
  assert.deepEqual(sbatchArgv(o, '~/logs'), [
    '--parsable',
    '--job-name=airlock-workers',
    '--array=0-3',
    '--signal=B:USR1@120',
    '--output=~/logs/%x-%A_%a.out',
    '--open-mode=append',
    '--no-requeue',
    '--partition=gpu',
    '--gres=gpu:1',
    '--time=4:00:00',
  ]);
});

test('bad submit options are refused with the flag named, before anything reaches the cluster', () => {
  const base = { workers: 2, remoteUrl: 'u', cliPath: 'c' };
  assert.throws(() => checkWorkerArrayOptions({ ...base, workers: 0 }), /--workers/);
  assert.throws(() => checkWorkerArrayOptions({ ...base, time: '4h' }), /--time "4h" is not a Slurm time/);
  assert.throws(() => checkWorkerArrayOptions({ ...base, gres: 'gpu:1; rm' }), /--gres/);
  assert.throws(() => checkWorkerArrayOptions({ ...base, sbatchArgs: ['--mem=1G\n#SBATCH --x'] }), /--sbatch-arg/);
  assert.throws(() => checkWorkerArrayOptions({ ...base, sbatchArgs: ['mem=1G'] }), /--sbatch-arg/);
  for (const time of ['30', '30:00', '4:00:00', '1-00:00:00', '2-12']) checkWorkerArrayOptions({ ...base, time });
});

test('a login node is a cluster by the probe (sbatch and sinfo found) or by "scheduler": "slurm" in hosts.json', () => {
  const probe = (slurm: string) => `${probeMarker}hostname\nlogin1\n${probeMarker}slurm\n${slurm}${probeMarker}end\n`;
  assert.equal((parseProbeOutput(probe('slurm\n'), '~') as { scheduler?: string }).scheduler, 'slurm');
  assert.equal((parseProbeOutput(probe(''), '~') as { scheduler?: string }).scheduler, undefined);
  const ok = parseHostsFile('{ "hosts": [ { "name": "hpc", "scheduler": "slurm" } ] }', '.airlock/hosts.json');
  assert.deepEqual([ok.errors.length, ok.entries[0]?.scheduler], [0, 'slurm']);
  const bad = parseHostsFile('{ "hosts": [\n  { "name": "hpc", "scheduler": "pbs" } ] }', '.airlock/hosts.json');
  assert.match(bad.errors.map((e) => e.message).join('\n'), /\.airlock\/hosts\.json:2: hosts\[0\]\.scheduler/);
});
