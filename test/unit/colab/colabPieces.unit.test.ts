// The small parts of Colab dispatch: run ids, Drive query strings, Drive error messages, finding
// a browser, the status file parser and the selectors data file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRunId } from '../../../src/core/colab/dispatch';
import { qString } from '../../../src/core/colab/driveClient';
import { driveError, isRetryable } from '../../../src/core/colab/driveErrors';
import { findChrome } from '../../../src/core/colab/browserPath';
import { colabSelectors } from '../../../src/core/colab/colabPage';
import { parseOAuthClientFile, parseServiceAccountKey } from '../../../src/core/colab/driveAuth';
import { parseRunStatus } from '../../../src/core/notebook/statusWriter';

test('run ids are sortable, readable and safe in a Drive path', () => {
  assert.equal(newRunId('bench mark (v2).ipynb', new Date('2025-03-04T05:06:07.890Z')), 'bench_mark_v2_-20250304-050607');
  assert.equal(newRunId('.ipynb', new Date('2025-03-04T05:06:07Z')), 'notebook-20250304-050607');
});

test('Drive query literals escape quotes and backslashes', () => {
  assert.equal(qString("it's a \\ test"), "'it\\'s a \\\\ test'");
});

test('Drive errors say what, why and what to do; retry only what can succeed later', () => {
  const gx = (status: number, reason?: string) => ({ status, response: { status, data: { error: { code: status, errors: [{ reason }] } } } });
  assert.match(driveError(gx(403, 'storageQuotaExceeded'), 'uploading a.ipynb').message, /Google Drive is full while uploading a\.ipynb/);
  assert.match(driveError(gx(503, 'backendError'), 'listing', 3).message, /failed while listing \(HTTP 503 backendError\) after 3 attempts/);
  assert.match(
    driveError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'listing').message,
    /cannot reach Google Drive while listing \(ECONNREFUSED\)/,
  );
  assert.match(
    driveError({ message: 'invalid_grant: Invalid JWT Signature.', response: { status: 400, data: { error: 'invalid_grant' } } }, 'listing').message,
    /refused Airlock's credentials while listing \(Invalid JWT Signature\.\)/,
  );
  assert.equal(isRetryable(gx(503)), true);
  assert.equal(isRetryable(gx(429)), true);
  assert.equal(isRetryable(gx(403, 'userRateLimitExceeded')), true);
  assert.equal(isRetryable(gx(403, 'insufficientPermissions')), false);
  assert.equal(isRetryable(gx(404)), false);
  assert.equal(isRetryable({ code: 'ECONNRESET' }), true);
});

test('a browser is found from AIRLOCK_CHROME or the usual places, never downloaded', () => {
  assert.equal(
    findChrome({ AIRLOCK_CHROME: '/opt/x/chrome' }, (p) => p === '/opt/x/chrome'),
    '/opt/x/chrome',
  );
  assert.equal(
    findChrome({ AIRLOCK_CHROME: '/missing' }, () => false),
    undefined,
  );
  assert.equal(
    findChrome({}, (p) => p === '/usr/bin/chromium'),
    '/usr/bin/chromium',
  );
  assert.equal(
    findChrome({}, (p) => p === '/usr/bin/google-chrome' || p === '/usr/bin/chromium'),
    '/usr/bin/google-chrome',
    'Chrome first',
  );
  assert.equal(
    findChrome({}, () => false),
    undefined,
  );
});

test('key files are checked without echoing them', () => {
  assert.throws(
    () => parseServiceAccountKey('{"type":"authorized_user","client_secret":"s3cret"}'),
    (e: Error) => /not a service-account JSON key/.test(e.message) && !e.message.includes('s3cret'),
  );
  assert.throws(() => parseServiceAccountKey('not json'), /not JSON/);
  assert.deepEqual(parseOAuthClientFile('{"installed":{"client_id":"a.apps","client_secret":"b"}}'), { clientId: 'a.apps', clientSecret: 'b' });
  assert.throws(() => parseOAuthClientFile('{}'), /needs client_id and client_secret/);
});

test('the status file parser accepts what the notebook writes and ignores partial or foreign files', () => {
  const s = parseRunStatus(
    '{"run":"r","state":"failed","cell":3,"total":5,"error":"KeyError: x","traceback":"T","gpu":null,"updatedAt":"2025-01-01T00:00:00Z","heartbeatAt":"2025-01-01T00:00:05Z"}',
  );
  assert.deepEqual(s, {
    run: 'r',
    state: 'failed',
    cell: 3,
    total: 5,
    error: 'KeyError: x',
    traceback: 'T',
    gpu: null,
    updatedAt: '2025-01-01T00:00:00Z',
    heartbeatAt: '2025-01-01T00:00:05Z',
  });
  assert.equal(parseRunStatus('{"run":"r","state":"runn'), undefined);
  assert.equal(parseRunStatus('{"state":"paused","cell":1}'), undefined);
});

test('the selectors file is complete: every selector and text non-empty, the URL pattern compiles', () => {
  const walk = (o: unknown, path: string): string[] =>
    typeof o === 'string' ? [path] : Object.entries(o as object).flatMap(([k, v]) => walk(v, `${path}.${k}`));
  for (const p of walk(colabSelectors, 'sel')) {
    const v = p
      .split('.')
      .slice(1)
      .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], colabSelectors);
    assert.ok(typeof v === 'string' && v.trim().length > 0, `${p} is empty`);
  }
  assert.ok(new RegExp(colabSelectors.signIn.urlPattern).test('https://accounts.google.com/v3/signin/identifier?continue=x'));
  assert.ok(!new RegExp(colabSelectors.signIn.urlPattern).test('https://colab.research.google.com/drive/1abc'));
  assert.match(colabSelectors.gpuOption, /\{gpu\}/);
  assert.match(colabSelectors.notebookPath, /\{fileId\}/);
});
