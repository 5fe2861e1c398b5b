import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { canPlace, defaultTiers, diskWarning, parseTiers, resolveTier } from '../../../src/core/hosts/tiers';
import type { GpuInfo, HostFacts, HostSpec } from '../../../src/core/hosts/types';

const gpu = (name: string, gb: number): GpuInfo => ({ name, memoryTotalMiB: gb * 1024, memoryUsedMiB: 0, utilizationPct: 0 });
const facts = (gpus: GpuInfo[], usedPct = 10): HostFacts => ({
  reachable: true,
  hostname: 'h',
  gpus,
  probedAt: 0,
  disk: { path: '/data', totalBytes: 100 * 1024 ** 3, usedBytes: usedPct * 1024 ** 3, availBytes: (100 - usedPct) * 1024 ** 3, usedPct },
});
const host = (extra: Partial<HostSpec> = {}): HostSpec => ({ name: 'h', kind: 'ssh', source: 'workspace', ...extra });

describe('tiers', () => {
  test('first matching rule wins: A100 80 GB, L4, other GPU, CPU only', () => {
    assert.equal(resolveTier(host(), facts([gpu('NVIDIA A100-SXM4-80GB', 80)]), defaultTiers)?.name, 'a100');
    assert.equal(resolveTier(host(), facts([gpu('NVIDIA A100-PCIE-40GB', 39.5)]), defaultTiers)?.name, 'gpu', 'below minVramGb 40');
    assert.equal(resolveTier(host(), facts([gpu('NVIDIA L4', 22.5)]), defaultTiers)?.name, 'l4');
    assert.equal(resolveTier(host(), facts([gpu('Tesla T4', 15)]), defaultTiers)?.name, 'gpu');
    assert.equal(resolveTier(host(), facts([]), defaultTiers)?.name, 'cpu');
    assert.equal(resolveTier(host(), undefined, defaultTiers), undefined);
    assert.equal(resolveTier(host(), { reachable: false, reason: 'x', probedAt: 0 }, defaultTiers), undefined);
  });

  test('an explicit host tier wins, even one the settings do not define', () => {
    assert.equal(resolveTier(host({ tier: 'l4' }), facts([gpu('NVIDIA A100', 80)]), defaultTiers)?.label, 'L4 · ≤ 20 GB jobs');
    assert.deepEqual(resolveTier(host({ tier: 'lab' }), facts([]), defaultTiers), { name: 'lab', label: 'lab' });
  });

  test('canPlace refuses jobs above the tier cap or the largest GPU, and on hosts without GPU', () => {
    const l4 = defaultTiers[1]!;
    assert.deepEqual(canPlace({ name: 'dbg', tier: l4, facts: facts([gpu('NVIDIA L4', 22.5)]) }, 16), { ok: true });
    const capped = canPlace({ name: 'dbg', tier: l4, facts: facts([gpu('NVIDIA L4', 22.5)]) }, 21);
    assert.equal(capped.ok, false);
    assert.match(!capped.ok ? capped.reason : '', /up to 20 GB.*needs 21 GB/);
    const big = canPlace({ name: 'a', facts: facts([gpu('NVIDIA A100', 80)]) }, 120);
    assert.match(!big.ok ? big.reason : '', /largest GPU has 80 GB/);
    assert.equal(canPlace({ name: 'c', facts: facts([]) }, 1).ok, false);
    assert.equal(canPlace({ name: 'c', facts: facts([]) }, 0).ok, true);
    assert.equal(canPlace({ name: 'u' }, 8).ok, false);
  });

  test('parseTiers drops bad rules with a message naming the field', () => {
    const { tiers, problems } = parseTiers([
      { name: 'ok', label: 'OK' },
      { name: 'x', label: 'X', gpuName: '(' },
      { label: 'no name' },
      { name: 'v', label: 'V', minVramGb: '4' },
    ]);
    assert.deepEqual(
      tiers.map((t) => t.name),
      ['ok'],
    );
    assert.deepEqual(problems, [
      'airlock.tiers[1].gpuName is not a valid regular expression',
      'airlock.tiers[2].name must be a non-empty string',
      'airlock.tiers[3].minVramGb must be a number >= 0',
    ]);
    assert.deepEqual(parseTiers('nope').problems, ['airlock.tiers must be an array']);
  });

  test('diskWarning at or above the threshold', () => {
    assert.equal(diskWarning(facts([], 89), 90), undefined);
    assert.match(diskWarning(facts([], 90), 90)!, /\/data is 90% full \(10\.0 GiB free\)/);
    assert.equal(diskWarning(undefined, 90), undefined);
  });
});
