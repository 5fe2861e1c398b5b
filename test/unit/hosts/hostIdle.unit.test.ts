import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostsFile } from '../../../src/core/hosts/hostsFile';
import { hostCostLabel, hostIdleSample, isWatchedHost, observeHostIdle } from '../../../src/core/hosts/hostIdle';
import { parseSessions } from '../../../src/core/hosts/probeParse';
import { parseProbeOutput, buildProbeScript } from '../../../src/core/hosts/probe';
import { IdleClock } from '../../../src/core/idle/idleClock';
import type { HostFacts, HostSpec } from '../../../src/core/hosts/types';

const facts = (utils: number[], sessions: { user: string; tty: string; idleSec: number }[] = []): HostFacts => ({
  reachable: true,
  hostname: 'vm',
  gpus: utils.map((u) => ({ name: 'NVIDIA L4', memoryTotalMiB: 23034, memoryUsedMiB: 0, utilizationPct: u })),
  sessions,
  probedAt: 0,
});
const vm: HostSpec = {
  name: 'vm-1',
  kind: 'ssh',
  source: 'workspace',
  pricePerHour: 1.2,
  stopCommand: 'gcloud compute instances stop vm-1',
  idleWarnMinutes: 30,
};

describe('hosts.json price, stop command and idle minutes', () => {
  test('valid values load onto the entry', () => {
    const text =
      '{\n  "hosts": [\n    { "name": "vm-1", "pricePerHour": 1.2, "stopCommand": "gcloud compute instances stop vm-1 --zone z", "idleWarnMinutes": 0, "probePath": "/usr/local/nvidia/bin" }\n  ]\n}\n';
    const { entries, errors } = parseHostsFile(text, '.airlock/hosts.json');
    assert.deepEqual(errors, []);
    assert.equal(entries[0]!.pricePerHour, 1.2);
    assert.equal(entries[0]!.stopCommand, 'gcloud compute instances stop vm-1 --zone z');
    assert.equal(entries[0]!.idleWarnMinutes, 0);
    assert.equal(entries[0]!.probePath, '/usr/local/nvidia/bin');
  });

  test('bad values name file, line and field, and drop the entry', () => {
    const text = [
      '{',
      '  "hosts": [',
      '    { "name": "a", "pricePerHour": "1.2" },',
      '    { "name": "b", "pricePerHour": -1 },',
      '    { "name": "c", "idleWarnMinutes": "soon" },',
      '    { "name": "d", "stopCommand": "" },',
      '    { "name": "e", "stopCommand": ["gcloud", "stop"] },',
      '    { "name": "ok", "pricePerHour": 0.5 }',
      '  ]',
      '}',
    ].join('\n');
    const { entries, errors } = parseHostsFile(text, '.airlock/hosts.json');
    assert.deepEqual(
      errors.map((e) => [e.line, e.field]),
      [
        [3, 'hosts[0].pricePerHour'],
        [4, 'hosts[1].pricePerHour'],
        [5, 'hosts[2].idleWarnMinutes'],
        [6, 'hosts[3].stopCommand'],
        [7, 'hosts[4].stopCommand'],
      ],
    );
    assert.match(errors[0]!.message, /^\.airlock\/hosts\.json:3: hosts\[0\]\.pricePerHour must be a number of dollars per hour/);
    assert.deepEqual(
      entries.map((e) => e.name),
      ['ok'],
    );
  });
});

describe('the idle rule for priced hosts', () => {
  test('one probe: busy GPU, recent terminal input, no GPU readings, unreachable are not idle', () => {
    assert.deepEqual(hostIdleSample(facts([0, 3])), { idle: true, why: 'GPUs ≤ 5%, no terminal input for 5 min' });
    assert.deepEqual(hostIdleSample(facts([0, 87])), { idle: false, why: 'GPU 1 at 87%' });
    assert.equal(hostIdleSample(facts([0], [{ user: 'me', tty: 'pts/0', idleSec: 120 }])).why, 'me on pts/0 typed 2 min ago');
    assert.equal(hostIdleSample(facts([0], [{ user: 'me', tty: 'pts/0', idleSec: 3600 }])).idle, true, 'a terminal left alone for an hour is not activity');
    assert.equal(hostIdleSample(facts([])).idle, false);
    assert.equal(hostIdleSample({ reachable: false, reason: 'refused', probedAt: 0 }).idle, false);
  });

  test('idle minutes accumulate across probes, one busy probe resets them, only watched hosts are counted', () => {
    const clock = new IdleClock();
    const plain: HostSpec = { name: 'lab', kind: 'ssh', source: 'ssh-config' };
    assert.equal(isWatchedHost(plain), false);
    const t0 = 1_000_000;
    let s = observeHostIdle(
      clock,
      [
        { spec: vm, facts: facts([0]) },
        { spec: plain, facts: facts([0]) },
      ],
      t0,
    );
    assert.deepEqual([...s.keys()], ['vm-1']);
    assert.equal(s.get('vm-1')!.warn, false);
    s = observeHostIdle(clock, [{ spec: vm, facts: facts([1]) }], t0 + 31 * 60_000);
    assert.equal(Math.round(s.get('vm-1')!.idleMinutes!), 31);
    assert.equal(s.get('vm-1')!.warn, true);
    assert.equal(hostCostLabel(vm, s.get('vm-1')), '$1.200/hr · idle 31 min');
    s = observeHostIdle(clock, [{ spec: vm, facts: facts([50]) }], t0 + 32 * 60_000);
    assert.equal(s.get('vm-1')!.warn, false);
    assert.equal(hostCostLabel(vm, s.get('vm-1')), '$1.200/hr · busy: GPU 0 at 50%');
    s = observeHostIdle(clock, [{ spec: vm, facts: facts([0]) }], t0 + 33 * 60_000);
    assert.equal(s.get('vm-1')!.idleMinutes, 0);
  });

  test('the probe reports sessions and honours probePath', () => {
    assert.deepEqual(parseSessions('me pts/0 42\nbad line\nroot tty1 -3\n'), [
      { user: 'me', tty: 'pts/0', idleSec: 42 },
      { user: 'root', tty: 'tty1', idleSec: 0 },
    ]);
    const out = ['@@airlock:hostname', 'vm', '@@airlock:gpu', 'NVIDIA L4, 23034, 10, 0', '@@airlock:sessions', 'me pts/1 900', '@@airlock:end'].join('\n');
    const f = parseProbeOutput(out, '~');
    assert.ok(f.reachable);
    assert.deepEqual(f.sessions, [{ user: 'me', tty: 'pts/1', idleSec: 900 }]);
    assert.match(buildProbeScript('~', '/opt/nv/bin'), /^PATH='?\/opt\/nv\/bin'?:"\$PATH"; export PATH\n/);
  });
});
