// The budget projection and the orphan rule, on plain PodInfo values.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkBudget, checkBudgets, hoursUntilMidnightUtc, parseProjectBudgets, spendNow, spendToday } from '../../../src/core/pods/budget';
import type { PodProvider } from '../../../src/core/pods/provider';
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

  test("per-project budget: a project's billed spend (attributed through its pods' metadata) and its billing pods", async () => {
    const nowMs = Date.UTC(2026, 11, 2, 20, 0, 0); // 4 h to midnight
    const pods = [
      pod({ id: 'a', costPerHour: 0.5, metadata: { project: 'llm' } }),
      pod({ id: 'b', costPerHour: 2, metadata: { project: 'vision' } }),
      pod({ id: 'c', costPerHour: 1, state: 'stopped', metadata: { project: 'llm' } }),
    ];
    // REST v2 billing names pods by id only; 'gone' was terminated today, so no project owns its $4.
    const billing = {
      spendSince: async () => ({
        total: 9,
        byPod: new Map([
          ['a', 1],
          ['b', 3],
          ['c', 1],
          ['gone', 4],
        ]),
      }),
    } as unknown as PodProvider;
    const spent = await spendToday(billing, pods);
    assert.deepEqual([spent.spent, spent.source, Object.fromEntries(spent.byProject), spent.unattributed], [9, 'billing', { llm: 2, vision: 3 }, 4]);
    const budgets = parseProjectBudgets('llm=5, vision=$100');
    assert.deepEqual(budgets, { llm: 5, vision: 100 });
    // llm: 2 spent + (0.5 now + 1 new) × 4 h = 8 > 5, although the account's 100 holds (9 + 3.5 × 4 = 23).
    const checks = checkBudgets({ budgetPerDay: 100, projectBudgets: budgets, project: 'llm', spent, pods, newPodPerHour: 1, nowMs });
    assert.deepEqual(
      checks.map((c) => [c.project, c.projected, c.exceeds]),
      [
        [undefined, 23, false],
        ['llm', 8, true],
      ],
    );
    assert.equal(
      checks[1]!.message,
      '$2.000 spent today by project "llm"; with its pods billing now ($0.500/hr) and this one ($1.000/hr) until midnight UTC that is $8.000 of the project "llm"\'s $5.000/day budget',
    );
    assert.deepEqual(checkBudgets({ budgetPerDay: 0, projectBudgets: budgets, project: undefined, spent, pods, newPodPerHour: 1, nowMs }), []);
    assert.equal(checkBudgets({ budgetPerDay: 0, projectBudgets: budgets, project: 'vision', spent, pods, newPodPerHour: 1, nowMs })[0]!.exceeds, false);
    // GraphQL has no billing: uptime × $/hr per project.
    const est = await spendToday({} as PodProvider, [pod({ id: 'x', uptimeSeconds: 7200, costPerHour: 1.5, metadata: { project: 'llm' } })]);
    assert.deepEqual([est.spent, est.source, est.byProject.get('llm')], [3, 'estimate', 3]);
    assert.throws(() => parseProjectBudgets('llm'), /AIRLOCK_PODS_PROJECT_BUDGETS: "llm" is not project=USD/);
    assert.throws(() => parseProjectBudgets('llm=-1'), /"llm=-1" is not project=USD/);
  });

  test('the status bar figure ticks between billing reads: spent at the read plus $/hr × time since', () => {
    assert.equal(spendNow(1, 2, 0, 1800_000), 2);
    assert.equal(spendNow(1, 2, 1000, 0), 1, 'a clock behind the read adds nothing');
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
