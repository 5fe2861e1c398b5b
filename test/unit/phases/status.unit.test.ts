import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClaim, newClaim, renewClaim, serializeClaim, isStale } from '../../../src/core/phases/claims';
import { pickEntry } from '../../../src/core/phases/pick';
import { entryIndex } from '../../../src/core/phases/entries';
import { parsePlan } from '../../../src/core/phases/plan';
import { phaseStatus } from '../../../src/core/phases/status';
import type { QueueSnapshot } from '../../../src/core/phases/snapshot';

const plan = parsePlan('{"phases":[{"name":"p","axes":{"m":["a","b","c","d","e","f"]},"command":"c"}],"leaseSec":60}', 'plan');
const now = Date.parse('2026-11-22T12:00:00Z');
const claim = (host: string, ageSec: number) => ({ ...newClaim(host, 60, now - ageSec * 1000), pid: 4242 });

function snapshot(): QueueSnapshot {
  return {
    todo: new Map([['p', ['a_0.json', 'b_0.json', 'c_0.json', 'd_0.json', 'e_0.json', 'f_0.json']]]),
    results: new Set(['a_0.json']),
    failed: new Map([['b_0.json', { host: 'h', exitCode: 1, reason: 'exited with 1', failedAt: '' }]]),
    claims: new Map([
      ['c_0.json', claim('h2', 10)],
      ['d_0.json', renewClaim(claim('h2', 30), 60, now - 5000)],
      ['e_0.json', claim('h3', 120)],
    ]),
  };
}

test('each entry has one state; a claim past its lease is stale', () => {
  const [p] = phaseStatus(plan, snapshot(), now);
  assert.deepEqual(
    p!.entries.map((e) => `${e.entry}:${e.state}`),
    ['a_0.json:done', 'b_0.json:failed', 'c_0.json:claimed', 'd_0.json:running', 'e_0.json:stale', 'f_0.json:todo'],
  );
  assert.deepEqual(p!.counts, { todo: 1, claimed: 1, running: 1, stale: 1, done: 1, failed: 1 });
  assert.equal(p!.generated, true);
});

test("claims: unique content per claim; the original tool's plain claims are legacy and stale", () => {
  const a = newClaim('h', 60, now);
  const b = newClaim('h', 60, now);
  assert.notEqual(serializeClaim(a), serializeClaim(b), 'two claims never have identical bytes');
  assert.deepEqual(parseClaim(serializeClaim(a)), a);
  const legacy = parseClaim('machine-a\n');
  assert.equal(legacy.host, 'machine-a');
  assert.equal(legacy.legacy, true);
  assert.equal(isStale(legacy, now), true);
});

test('pick order: own orphaned claim first, then free entries, then expired claims', () => {
  const base = { index: entryIndex(plan), phases: plan.phases, runner: { host: 'h2' }, now, window: 1, exclude: new Set<string>(), random: () => 0 };
  const s = snapshot();
  // h2's claim on c_0 belongs to a process that is gone: resume it.
  assert.deepEqual(pickEntry({ ...base, snapshot: s, host: 'h2', pidAlive: () => false })!.entry.name, 'c_0.json');
  const p = pickEntry({ ...base, snapshot: s, host: 'h9', pidAlive: () => true })!;
  assert.deepEqual([p.entry.name, p.how], ['f_0.json', 'new']);
  s.results.add('f_0.json');
  const t = pickEntry({ ...base, snapshot: s, host: 'h9', pidAlive: () => true })!;
  assert.deepEqual([t.entry.name, t.how, t.previous?.host], ['e_0.json', 'takeover', 'h3']);
  s.results.add('e_0.json');
  assert.equal(pickEntry({ ...base, snapshot: s, host: 'h9', pidAlive: () => true }), undefined, 'live claims of others are never taken');
});

test('entries left out of a regenerated TODO list because they have a result still count as done', () => {
  const s = snapshot();
  s.todo.set('p', ['c_0.json', 'f_0.json']);
  s.results.add('e_0.json');
  const [p] = phaseStatus(plan, s, now);
  assert.deepEqual(
    p!.entries.map((e) => `${e.entry}:${e.state}`),
    ['c_0.json:claimed', 'f_0.json:todo', 'a_0.json:done', 'e_0.json:done'],
  );
  assert.equal(p!.total, 4);
});
