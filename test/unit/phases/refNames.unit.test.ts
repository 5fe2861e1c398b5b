import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { decodeRefPart, encodeRefPart, remoteEntryPrefix } from '../../../src/core/phases/refNames';
import { parseEntryRefMessage, entryRefMessage } from '../../../src/core/phases/entryRefs';
import { emptySnapshot, withEntryRefs } from '../../../src/core/phases/snapshot';
import { newClaim } from '../../../src/core/phases/claims';

const hostile = [
  'a_0.json',
  '.hidden_0.json',
  'a..b_0.json',
  'naïve_0.json',
  'say "hi"_0.json',
  'a b~c^d:e?f*g[h\\i_0.json',
  'x@{1}_0.json',
  '日本語_0.json',
  '%41_0.json',
  'end.lock',
];

test('every entry name becomes one valid ref component and decodes back', () => {
  for (const name of hostile) {
    const ref = `${remoteEntryPrefix('feature/x')}${encodeRefPart(name)}`;
    const check = spawnSync('git', ['check-ref-format', ref], { encoding: 'utf8' });
    assert.equal(check.status, 0, `${name} → ${ref} is not a valid ref name`);
    assert.equal(ref.split('/').length, 4, `${name}: one component for the branch, one for the entry`);
    assert.equal(decodeRefPart(encodeRefPart(name)), name);
  }
});

test("an entry ref's state: a claim holds the entry, a result or failure counts before it reaches the branch", () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const claim = newClaim('h', 60, now);
  const base = { ...emptySnapshot(), todo: new Map([['p', ['a', 'b', 'c', 'd']]]), results: new Set(['d']) };
  const ref = (kind: 'claim' | 'done' | 'failed', record: object, oid: string) => ({ oid, ...parseEntryRefMessage(entryRefMessage(kind, 'x', record))! });
  const refs = new Map([
    ['a', ref('claim', claim, '1'.repeat(40))],
    ['b', ref('done', { host: 'h', token: claim.token }, '2'.repeat(40))],
    ['c', ref('failed', { host: 'h', exitCode: 3, reason: 'exited with 3', failedAt: '' }, '3'.repeat(40))],
    ['d', ref('done', { host: 'h' }, '4'.repeat(40))],
  ]);
  const s = withEntryRefs(base, refs, now);
  assert.equal(s.claims.get('a')?.token, claim.token);
  assert.deepEqual([...s.results].sort(), ['b', 'd']);
  assert.equal(s.failed.get('c')?.exitCode, 3);
  assert.deepEqual(s.uncompacted?.sort(), ['b', 'c'], 'd is in the branch already');
  assert.equal(s.resultAt?.get('b'), '2'.repeat(40));
});
