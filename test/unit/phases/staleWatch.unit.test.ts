import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newClaim, renewClaim } from '../../../src/core/phases/claims';
import { leaseBackoffCapMs, StaleWatch } from '../../../src/core/phases/staleWatch';

const t0 = Date.parse('2026-01-01T00:00:00Z');

test('an expired claim is taken over only after this worker watched it expired for the grace period', () => {
  const watch = new StaleWatch(5000);
  const live = newClaim('a', 10, t0);
  const expired = newClaim('b', 10, t0 - 60_000);
  watch.observe([live, expired], t0);
  assert.equal(watch.waitMs(live, t0), undefined, 'a live claim is never a candidate');
  assert.equal(watch.waitMs(expired, t0), 5000, 'first seen expired now: wait a full grace period');
  assert.equal(watch.ready(expired, t0 + 4999), false);
  watch.observe([live, expired], t0 + 5000);
  assert.equal(watch.ready(expired, t0 + 5000), true);
});

test('a network failure restarts the watch: an owner cut off like us gets its grace after the remote returns', () => {
  const watch = new StaleWatch(5000);
  const expired = newClaim('b', 10, t0 - 60_000);
  watch.observe([expired], t0);
  watch.networkTrouble(t0 + 4000);
  assert.equal(watch.waitMs(expired, t0 + 6000), 3000);
  assert.equal(watch.ready(expired, t0 + 9000), true);
});

test('a refreshed lease is a new claim identity; a claim that disappears is forgotten', () => {
  const watch = new StaleWatch(5000);
  const c = newClaim('b', 10, t0 - 60_000);
  watch.observe([c], t0);
  const renewed = { ...renewClaim(c, 10, t0 - 30_000) };
  watch.observe([renewed], t0 + 6000);
  assert.equal(watch.ready(renewed, t0 + 6000), false, 'the owner showed life: the watch starts over');
  watch.observe([], t0 + 7000);
  watch.observe([c], t0 + 8000);
  assert.equal(watch.waitMs(c, t0 + 8000), 5000);
});

test('the legacy empty claims of the original tool are never taken over automatically', () => {
  const watch = new StaleWatch(0);
  const legacy = { host: 'x', pid: 0, token: '', claimedAt: new Date(0).toISOString(), leaseUntil: new Date(0).toISOString(), legacy: true };
  watch.observe([legacy], t0);
  assert.equal(watch.waitMs(legacy, t0), undefined);
});

test('network back-off is capped at a third of the lease (never above the configured maximum)', () => {
  assert.equal(leaseBackoffCapMs(600), 60_000);
  assert.equal(leaseBackoffCapMs(6), 2000);
  assert.equal(leaseBackoffCapMs(6, 1000), 1000);
});
