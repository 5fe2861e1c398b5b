// Entry names the queue must carry as they are (git quotes non-ASCII, quotes and tabs in its line
// output), and names it cannot carry, which `generate` refuses before anything is written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { cliBundle } from '../../support/cliBundle';
import { makeGitQueue, type GitQueue } from '../../support/gitQueue';
import { readQueueStatus } from '../../../src/core/phases/admin';
import { loadPlan } from '../../../src/core/phases/plan';
import { runWorker } from '../../../src/core/phases/worker';

let q: GitQueue | undefined;
afterEach(() => q?.dispose());

function cli(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [cliBundle(), ...args], { cwd, encoding: 'utf8', env: { ...process.env, AIRLOCK_VRAM_GB: '0' } });
}

describe('entry names', { timeout: 120_000 }, () => {
  test('names git quotes (non-ASCII, quotes, backslash-free specials) count as done once they have a result', async () => {
    const values = ['naïve', 'say "hi"', '日本語', 'a b'];
    q = makeGitQueue({ phases: [{ name: 'p', axes: { v: values }, command: `echo '{{"ok": 1}}' > {result}` }] });
    const g = cli(q.seed, 'phases', 'generate');
    assert.equal(g.status, 0, g.stderr);
    const clone = q.clone('w');
    const summary = await runWorker(
      { cloneDir: clone, planPath: join(clone, '.airlock/phases.json'), host: 'h', vramGb: 0, waitForClaims: false },
      new AbortController().signal,
    );
    assert.equal(summary.done, values.length);
    const plan = await loadPlan(join(clone, '.airlock/phases.json'));
    const st = await readQueueStatus(plan, { cloneDir: clone });
    assert.deepEqual(st.phases[0]!.counts, { todo: 0, claimed: 0, running: 0, stale: 0, done: 4, failed: 0 });
    assert.deepEqual(st.phases[0]!.entries.map((e) => e.entry).sort(), values.map((v) => `${v}_0.json`).sort());
    const json = JSON.parse(cli(clone, 'phases', 'status', '--json').stdout) as { phases: { total: number; counts: { done: number } }[] };
    assert.deepEqual([json.phases[0]!.total, json.phases[0]!.counts.done], [4, 4], '`airlock phases status` reads the same names');
  });

  for (const [what, value, expect] of [
    ['a value starting with "#"', '#hash', /value "#hash" of axis "v" makes the entry name unusable: it starts with "#"/],
    ['a value starting with whitespace', ' pad', /value " pad" of axis "v" .*starts with "whitespace"/],
    ['a 260-character value', 'x'.repeat(260), /value "x{57}…" of axis "v" makes the entry name unusable: it is 26\d bytes long/],
    ['a value with a tab', 'a\tb', /value "a\\tb" of axis "v" .*control character/],
  ] as const) {
    test(`generate refuses ${what}, naming it, and writes nothing (exit 2)`, () => {
      q = makeGitQueue({ phases: [{ name: 'p', axes: { v: ['ok', value], w: ['z'] }, command: 'true {result}' }] });
      const g = cli(q.seed, 'phases', 'generate');
      assert.equal(g.status, 2, g.stderr);
      assert.match(g.stderr, expect);
      assert.match(g.stderr, /phases\.json/, 'the message names the plan');
      assert.doesNotMatch(g.stderr, /\n\s+at /, 'no stack trace');
      assert.deepEqual(q.remoteFiles('data'), [], 'nothing was pushed');
    });
  }
});
