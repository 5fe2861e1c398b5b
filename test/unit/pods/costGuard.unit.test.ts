// The budget projection and the orphan rule, on plain PodInfo values.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkBudget, hoursUntilMidnightUtc } from '../../../src/core/pods/budget';
import { findOrphans } from '../../../src/core/pods/orphans';
import type { PodInfo } from '../../../src/core/pods/types';

const pod = (o: Partial<PodInfo>): PodInfo => ({
  provider: 'runpod',
  id: 'p',
  name: 'airlock-p',
  state: 'running',
  providerStatus: 'RUNNING',
  gpuCount: 1,
  costPerHour: 1,
  spot: false,
  requestedPorts: [],
  ports: [],
  metadata: {},
  managedByAirlock: true,
  ...o,
});

describe('pods cost guard', () => {
  test('budget: spent + (billing now + new pod) × hours to midnight UTC', () => {
    const nowMs = Date.UTC(2026, 11, 2, 20, 0, 0); // 4 h to midnight
    assert.equal(hoursUntilMidnightUtc(nowMs), 4);
    const pods = [pod({ costPerHour: 0.5 }), pod({ id: 'q', state: 'stopped', costPerHour: 9 })];
    const ok = checkBudget({ budgetPerDay: 10, spentToday: 3, spentSource: 'billing', pods, newPodPerHour: 1, nowMs });
    assert.deepEqual([ok.projected, ok.exceeds], [9, false]);
    const over = checkBudget({ budgetPerDay: 8.99, spentToday: 3, spentSource: 'estimate', pods, newPodPerHour: 1, nowMs });
    assert.equal(over.exceeds, true);
    assert.equal(
      over.message,
      '$3.000 spent today (estimated from uptime); with the pods billing now ($0.500/hr) and this one ($1.000/hr) until midnight UTC that is $9.000 of the $8.990/day budget',
    );
  });

  test('orphans: Airlock pods that bill without an active watchdog rule, dearest first, with age', () => {
    const nowMs = Date.parse('2026-12-02T12:00:00Z');
    const pods = [
      pod({ id: 'bare', costPerHour: 0.2, createdAt: '2026-12-02T09:00:00Z' }),
      pod({ id: 'dear', costPerHour: 2, watchdog: { idleStopSec: 0, maxSec: 0 } }),
      pod({ id: 'guarded', watchdog: { idleStopSec: 1800, maxSec: 0 } }),
      pod({ id: 'stopped', state: 'stopped' }),
      pod({ id: 'mine', managedByAirlock: false }),
      pod({ id: 'watched' }),
    ];
    const found = findOrphans(pods, new Set(['watched']), nowMs);
    assert.deepEqual(
      found.map((o) => [o.pod.id, o.ageHours]),
      [
        ['dear', undefined],
        ['bare', 3],
      ],
    );
  });
});
