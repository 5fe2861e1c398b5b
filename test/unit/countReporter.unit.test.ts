// The test runner's own counting: tests inside a skipped suite are counted as skipped, and with
// CI=true a test skipped for a missing real component is a failure.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function counts(env: Record<string, string | undefined>): { passed: number; failed: number; skipped: number; failures: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-counts-'));
  try {
    const out = join(dir, 'counts.json');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        './test/support/skippedSuites.mjs',
        '--test',
        '--test-reporter=./test/support/countReporter.mjs',
        `--test-reporter-destination=${out}`,
        'test/fixtures/reporter/skippedSuite.fixture.ts',
      ],
      { encoding: 'utf8', env: { ...process.env, CI: undefined, NODE_TEST_CONTEXT: undefined, ...env } },
    );
    assert.ok(r.status !== null, r.stderr);
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('count reporter', () => {
  test('every test of a skipped suite is counted as skipped (nested ones too), and its hooks do not run', () => {
    const c = counts({});
    assert.deepEqual({ passed: c.passed, failed: c.failed, skipped: c.skipped }, { passed: 1, failed: 0, skipped: 4 });
  });

  test('CI=true: a test skipped for a missing real component fails, naming it; other skips stay skips', () => {
    const c = counts({ CI: 'true' });
    assert.deepEqual({ passed: c.passed, failed: c.failed, skipped: c.skipped }, { passed: 1, failed: 3, skipped: 1 });
    assert.deepEqual(
      c.failures.map((f) => f.split(' :: ')[1]),
      [
        'one (skipped on CI: missing real component: sshd)',
        'two (skipped on CI: missing real component: sshd)',
        'three (skipped on CI: missing real component: sshd)',
      ],
    );
  });
});
