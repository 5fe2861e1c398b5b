// The Hosts view's Checkpoints rows from a status read, the credentials' stdin lines, and the
// dataset forms the editor accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncRows, syncSummaryRow, whatToDo } from '../../../src/core/sync/syncRows';
import { parseStatusOutput, secretsInput, startWatchCommand } from '../../../src/core/sync/remoteSync';
import { normalizeDataSource } from '../../../src/core/sync/remoteData';
import type { SyncState } from '../../../src/core/sync/syncState';

const state = (over: Partial<SyncState> = {}): SyncState => ({
  version: 1,
  dir: '/d',
  pid: 42,
  startedAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-02T10:05:00.000Z',
  tiers: ['drive', 'hf'],
  tierPatterns: { drive: ['*.pt'], hf: ['*.pt'] },
  files: {
    'step_1.pt': {
      size: 1,
      mtimeMs: 1,
      sha256: 'a'.repeat(64),
      completeAt: 'x',
      checkpoint: true,
      tiers: { drive: { status: 'confirmed', at: 'x' }, hf: { status: 'confirmed', at: 'x' } },
    },
    'step_2.pt': {
      size: 1,
      mtimeMs: 2,
      sha256: 'b'.repeat(64),
      completeAt: 'x',
      checkpoint: true,
      tiers: { drive: { status: 'confirmed', at: 'x' }, hf: { status: 'uploading', at: 'x', progress: 0.43 } },
    },
  },
  lastSync: { drive: '2026-12-02T10:04:00.000Z' },
  errors: [],
  ...over,
});

test('rows: the newest checkpoint and where it is, last sync per tier, the last error with what to do', () => {
  const now = Date.parse('2026-12-02T10:05:00.000Z');
  const rows = syncRows({ alive: true, state: state({ errors: [{ at: 'x', tier: 'hf', message: '401 Unauthorized' }] }) }, now);
  assert.deepEqual(
    rows.map((r) => r.label),
    ['Latest checkpoint', 'Last Drive sync', 'Last HF sync', 'Error'],
  );
  assert.equal(rows[0]!.description, 'step_2.pt · local ✓ · Drive ✓ · HF ✗ uploading 43 %');
  assert.match(rows[1]!.description, /^1m.* ago$/);
  assert.equal(rows[2]!.description, 'never');
  assert.equal(rows[3]!.description, 'HF: 401 Unauthorized');
  assert.match(rows.at(-1)!.tooltip, /Set Hugging Face Token/);
  assert.equal(syncSummaryRow('/d', { alive: true, state: state() }, false).description, '/d · syncing · 2 checkpoints');
  assert.equal(syncSummaryRow('/d', { alive: false, state: state() }, false).state, 'stopped');
  assert.equal(syncSummaryRow('/d', { alive: true, state: state({ stoppedAt: 'x' }) }, false).state, 'stopped');
  assert.match(syncRows({ alive: false, error: 'no sync state in /d' })[0]!.tooltip, /Start it again/);
  assert.match(whatToDo('429 Too Many Requests', 'drive'), /retries by itself/);
});

test('status output: first line alive/dead, then the JSON or the CLI error', () => {
  assert.equal(parseStatusOutput({ code: 0, stdout: `alive\n${JSON.stringify(state())}`, stderr: '' }).state?.pid, 42);
  const bad = parseStatusOutput({ code: 2, stdout: 'dead\n', stderr: 'airlock sync: no sync state in /d\n' });
  assert.deepEqual(bad, { alive: false, error: 'airlock sync: no sync state in /d' });
});

test('credentials go on stdin, never into the script', () => {
  const input = secretsInput({ hfToken: 'hf_secret', drive: { kind: 'service-account', keyJson: '{"k":1}' } });
  assert.deepEqual(input.split('\n').slice(0, 3), [Buffer.from('{"k":1}').toString('base64'), '-', Buffer.from('hf_secret').toString('base64')]);
  const script = startWatchCommand({ cli: '~/.airlock/bin/airlock.js', absDir: '/d', endpoints: { hubUrl: 'http://127.0.0.1:1' } });
  assert.ok(!script.includes('hf_secret'));
  assert.match(script, /umask 077/);
  assert.match(script, /rm -rf "\$SD"/);
});

test('datasets: the Hub URL form and the CLI forms', () => {
  assert.equal(normalizeDataSource('hf://datasets/alice/tiny@v1'), 'hf:alice/tiny@v1');
  assert.equal(normalizeDataSource('hf:alice/tiny'), 'hf:alice/tiny');
  assert.equal(normalizeDataSource('drive:data/raw'), 'drive:data/raw');
  assert.equal(normalizeDataSource('s3://bucket'), undefined);
});
