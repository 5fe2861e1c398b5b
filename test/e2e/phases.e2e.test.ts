// The Phases view in the real workbench, mid-run: the example queue generated from the palette, a
// claim left by a machine that died (stale), and a worker started here claiming and finishing
// entries while the view shows counts and who holds what.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { openViewContainer, runCommand, screenshot, soloView, treeItem, widenSidebar } from '../support/workbench';
import { newClaim, serializeClaim } from '../../src/core/phases/claims';

const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' });

describe('Phases view mid-run', { timeout: 300_000 }, () => {
  let s: E2eSession;
  before(async () => {
    s = await startE2eSession({ env: { AIRLOCK_EXAMPLE_STEPS: '6', AIRLOCK_EXAMPLE_STEP_SEC: '0.5' } });
  });
  after(async () => {
    await s?.close();
  });

  test('generate, a stale claim, a worker running: counts, claimed entries and the stale claim are shown', async () => {
    await s.step('phases', async () => {
      await openViewContainer(s.page, 'Airlock');
      // Give the Phases view the room: fold the others.
      await soloView(s.page, 'Phases');
      await treeItem(s.page, 'Phases', /^smoke\b.*not generated/).waitFor({ state: 'visible', timeout: 30_000 });
      await runCommand(s.page, 'Airlock: Generate Phase TODO Lists');
      await treeItem(s.page, 'Phases', /^smoke\b.*0\/12/).waitFor({ state: 'visible', timeout: 30_000 });

      // A machine that claimed an entry an hour ago and died.
      const remote = git(s.workspace.folder, 'remote', 'get-url', 'origin').trim();
      const other = join(mkdtempSync(join(tmpdir(), 'airlock-dead-')), 'c');
      git(tmpdir(), 'clone', '-q', remote, other);
      mkdirSync(join(other, 'data/runs/claims'), { recursive: true });
      writeFileSync(
        join(other, 'data/runs/claims/hard_phi_3_mini_baseline_1.json.claim'),
        serializeClaim({ ...newClaim('gpu-box-7', 600, Date.now() - 3_600_000), pid: 4242 }),
      );
      git(other, 'add', '-A');
      git(other, 'commit', '-q', '-m', 'claim hard_phi_3_mini_baseline_1.json');
      git(other, 'push', '-q', 'origin', 'HEAD:main');

      await runCommand(s.page, 'Airlock: Start Phase Worker Here');
      // The view follows the worker: entries are claimed, run and finished.
      await treeItem(s.page, 'Phases', /^smoke\b.*[1-9]\/12/).waitFor({ state: 'visible', timeout: 60_000 });
      await runCommand(s.page, 'Airlock: Refresh Phases');
      const smoke = treeItem(s.page, 'Phases', /^smoke\b/);
      if ((await smoke.getAttribute('aria-expanded')) === 'false') await smoke.click();
      const stale = treeItem(s.page, 'Phases', /hard_phi_3_mini_baseline_1\.json.*stale · gpu-box-7/);
      await stale.waitFor({ state: 'visible', timeout: 30_000 });
      const running = treeItem(s.page, 'Phases', /^Claimed \(1\)|^Running \(1\)/);
      await running.first().waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await treeItem(s.page, 'Phases', /^smoke\b/).innerText(), /\d+\/12/);
      await treeItem(s.page, 'Phases', /^Done \(/).click();
      // Widen the side bar so who-holds-what is readable in the picture.
      await widenSidebar(s.page, 300);
      await screenshot(s.page, 'phases', { docs: true });
    });
  });
});
