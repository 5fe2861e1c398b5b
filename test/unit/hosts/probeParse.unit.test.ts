import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDf, parseLoadavg, parseNvidiaSmi } from '../../../src/core/hosts/probeParse';
import { buildProbeScript, parseProbeOutput } from '../../../src/core/hosts/probe';

describe('probe output parsing', () => {
  test('nvidia-smi: several GPUs with [N/A] values', () => {
    const out = [
      'NVIDIA A100-SXM4-80GB, 81920, 40123, 97',
      'NVIDIA A100-SXM4-80GB, 81920, 3, 0',
      'NVIDIA L4, 23034, [N/A], [N/A]',
      'Tesla T4, 15360, 0, [Not Supported]',
    ].join('\n');
    assert.deepEqual(parseNvidiaSmi(out), {
      gpus: [
        { name: 'NVIDIA A100-SXM4-80GB', memoryTotalMiB: 81920, memoryUsedMiB: 40123, utilizationPct: 97 },
        { name: 'NVIDIA A100-SXM4-80GB', memoryTotalMiB: 81920, memoryUsedMiB: 3, utilizationPct: 0 },
        { name: 'NVIDIA L4', memoryTotalMiB: 23034, memoryUsedMiB: 0, utilizationPct: 0 },
        { name: 'Tesla T4', memoryTotalMiB: 15360, memoryUsedMiB: 0, utilizationPct: 0 },
      ],
    });
  });

  test('nvidia-smi failing because the driver is not loaded is an error with no GPUs, not a crash', () => {
    const text =
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n";
    assert.deepEqual(parseNvidiaSmi(text), { gpus: [], error: text.trim() });
    assert.deepEqual(parseNvidiaSmi('No devices were found'), { gpus: [], error: 'No devices were found' });
    assert.deepEqual(parseNvidiaSmi(''), { gpus: [] });
  });

  test('df -P -B1, including a long device name wrapped onto its own line', () => {
    const plain = 'Filesystem     1-blocks        Used   Available Capacity Mounted on\n/dev/nvme0n1p1 1000000000000 910000000000 90000000000      91% /\n';
    assert.deepEqual(parseDf(plain, '~'), { path: '~', totalBytes: 1e12, usedBytes: 9.1e11, availBytes: 9e10, usedPct: 91 });
    const wrapped = 'Filesystem 1-blocks Used Available Capacity Mounted on\n/dev/mapper/very--long--volume--group-root\n 500 100 400 20% /data\n';
    assert.equal(parseDf(wrapped, '/data')?.usedPct, 20);
    assert.equal(parseDf('df: /nope: No such file or directory', '/nope'), undefined);
  });

  test('loadavg', () => {
    assert.deepEqual(parseLoadavg('0.52 0.58 1.59 1/389 12345\n'), [0.52, 0.58, 1.59]);
    assert.equal(parseLoadavg(''), undefined);
  });

  test('a whole probe output: no nvidia-smi means gpus: [] and no error', () => {
    const stdout = [
      '@@airlock:hostname',
      'gpu-box-7',
      '@@airlock:nproc',
      '64',
      '@@airlock:loadavg',
      '3.10 2.00 1.50 2/900 4242',
      '@@airlock:df',
      'Filesystem 1-blocks Used Available Capacity Mounted on',
      '/dev/sda1 200 150 50 75% /',
      '@@airlock:gpu',
      '@@airlock:no-nvidia-smi',
      '@@airlock:end',
      '',
    ].join('\n');
    assert.deepEqual(parseProbeOutput(stdout, '/work', 1), {
      reachable: true,
      hostname: 'gpu-box-7',
      gpus: [],
      gpuError: undefined,
      cpus: 64,
      load: [3.1, 2, 1.5],
      probedAt: 1,
      disk: { path: '/work', totalBytes: 200, usedBytes: 150, availBytes: 50, usedPct: 75 },
    });
  });

  test('the probe script expands ~ remotely and quotes other paths', () => {
    assert.match(buildProbeScript('~'), /df -P -B1 "\$HOME" 2>&1/);
    assert.match(buildProbeScript('~/my data'), /df -P -B1 "\$HOME"\/'my data' 2>&1/);
    assert.match(buildProbeScript("/mnt/it's"), /df -P -B1 '\/mnt\/it'"'"'s' 2>&1/);
    assert.match(buildProbeScript('~', '/opt/x'), /^PATH=\/opt\/x:"\$PATH"; export PATH/);
  });
});
