// Checkpoint sync in the real workbench: a real sshd host, the fake Drive and the fake Hugging Face
// Hub (the extension reaches them through its endpoint overrides). The credentials are entered as a
// user does (token input box, the key file through the file dialog), Start Checkpoint Sync on
// Host… is run from the palette, a fake training loop writes checkpoints on the host, and the
// host's Checkpoints rows show the newest confirmed on every tier (the docs screenshot); Stop
// Checkpoint Sync from the row's context menu turns the row to stopped.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { sshdSkipReason, startSshHosts, type SshTestHosts } from '../support/sshd';
import { startFakeDrive, type FakeDrive } from '../support/fakeDrive/server';
import { startFakeHfHub, type FakeHfHub } from '../support/fakeHfHub/server';
import { contextMenu, notification, openViewContainer, runCommand, screenshot, soloView, treeItem, widenSidebar } from '../support/workbench';
import { remoteSyncFiles } from '../../src/core/sync/remoteSync';

const token = 'hf_e2eSyncToken';

describe('checkpoint sync in the Hosts view', { skip: sshdSkipReason(), timeout: 300_000 }, () => {
  let s: E2eSession;
  let hosts: SshTestHosts;
  let drive: FakeDrive;
  let hub: FakeHfHub;
  let tmp: string;
  let dir: string;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'airlock-e2e-sync-'));
    dir = join(tmp, 'run', 'checkpoints');
    mkdirSync(dir, { recursive: true });
    hosts = await startSshHosts(1, { aliasPrefix: 'gpu' });
    drive = await startFakeDrive();
    hub = await startFakeHfHub();
    hub.addToken(token, 'alice');
    writeFileSync(join(tmp, 'sa.json'), drive.oauth.serviceAccountKey());
    s = await startE2eSession({
      env: {
        AIRLOCK_SSH_CONFIG: hosts.sshConfigPath,
        AIRLOCK_HF_HUB_URL: hub.hubUrl,
        AIRLOCK_DRIVE_ROOT_URL: drive.rootUrl,
        AIRLOCK_GOOGLE_TOKEN_URL: drive.tokenUrl,
      },
    });
    const ws = s.workspace.folder;
    mkdirSync(join(ws, '.vscode'), { recursive: true });
    writeFileSync(join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'airlock.sync.refreshIntervalSec': 2 }));
    mkdirSync(join(ws, '.airlock'), { recursive: true });
    writeFileSync(
      join(ws, '.airlock', 'sync.json'),
      JSON.stringify({
        tiers: {
          drive: { patterns: ['*.log', 'journal.md', '*.pt'], intervalSec: 1, folder: 'Airlock/checkpoints/run-42' },
          hf: { patterns: ['*.pt', '*.safetensors'], intervalSec: 1, repo: 'alice/run-42' },
        },
        retention: { keepLocal: 2, patterns: ['*.pt'] },
        settleSec: 0.5,
        scanSec: 0.5,
      }),
    );
  });
  after(async () => {
    await s?.close();
    await hosts?.stop();
    await drive?.close();
    await hub?.close();
    if (dir) rmSync(join(homedir(), remoteSyncFiles(dir).base.slice(2)), { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  test('Start Checkpoint Sync on Host… from the palette; the Checkpoints rows show the newest on every tier; Stop from the row', async () => {
    await s.step('sync-state', async () => {
      const page = s.page;
      const quick = page.locator('.quick-input-widget');
      const input = quick.locator('input').first();
      await openViewContainer(page, 'Airlock');
      await soloView(page, 'Hosts');
      const host = treeItem(page, 'Hosts', /^gpu-1\b/);
      await host.waitFor({ state: 'visible', timeout: 60_000 });

      await runCommand(page, 'Airlock: Set Hugging Face Token…');
      await quick.getByText(/Hugging Face token with write access/).waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(token);
      await page.keyboard.press('Enter');
      await notification(page, /Hugging Face token stored/).waitFor({ state: 'visible', timeout: 10_000 });

      await runCommand(page, 'Airlock: Start Checkpoint Sync on Host…');
      await quick.getByRole('option', { name: /^gpu-1\b/ }).click();
      await quick.getByText(/Checkpoint directory on gpu-1/).waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(dir);
      await page.keyboard.press('Enter');
      await quick.getByRole('option', { name: /\.airlock\/sync\.json/ }).click();
      // No Drive credentials yet: the key file, through the file dialog (typed, as a user can).
      await quick.getByRole('option', { name: /service-account key file/ }).click();
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await quick.getByText(/Service-account JSON key for Google Drive/).waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(join(tmp, 'sa.json'));
      await quick.getByRole('option', { name: /sa\.json/ }).waitFor({ state: 'visible', timeout: 10_000 });
      await quick.getByRole('button', { name: 'OK' }).click();
      await notification(page, new RegExp(`checkpoint sync of gpu-1:${dir.replace(/[/.]/g, '\\$&')} started`)).waitFor({ state: 'visible', timeout: 90_000 });

      // The training loop: a log line and a checkpoint every second, each renamed into place.
      writeFileSync(join(tmp, 'run', 'train.log'), 'epoch 1 loss 1.23\n');
      for (let i = 1; i <= 4; i++) {
        const p = join(dir, `step_${i * 1000}.pt`);
        writeFileSync(`${p}.tmp`, randomBytes(150_000));
        renameSync(`${p}.tmp`, p);
        await new Promise((r) => setTimeout(r, 1000));
      }
      if ((await host.getAttribute('aria-expanded')) !== 'true') await host.locator('.monaco-tl-twistie').click();
      const latest = treeItem(page, 'Hosts', /^Latest checkpoint: step_4000\.pt · local ✓ · Drive ✓ · HF ✓$/);
      await latest.waitFor({ state: 'visible', timeout: 90_000 });
      const row = treeItem(page, 'Hosts', /^Checkpoints .* · syncing · 4 checkpoints$/);
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      await treeItem(page, 'Hosts', /^Last Drive sync: .* ago$/).waitFor({ state: 'visible', timeout: 10_000 });
      await treeItem(page, 'Hosts', /^Last HF sync: .* ago$/).waitFor({ state: 'visible', timeout: 10_000 });
      await widenSidebar(page, 320);
      await page
        .locator('.notifications-toasts .codicon-notifications-clear-all')
        .click({ timeout: 2000 })
        .catch(() => undefined);
      await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
      await screenshot(page, 'sync-state', { docs: true });
      assert.equal(hub.repo('model', 'alice/run-42')?.files.get('step_4000.pt')?.size, 150_000);

      await contextMenu(row, /^Stop Checkpoint Sync$/);
      await notification(page, /checkpoint sync of .* stopped/).waitFor({ state: 'visible', timeout: 60_000 });
      await treeItem(page, 'Hosts', /^Checkpoints .* · stopped · /).waitFor({ state: 'visible', timeout: 30_000 });
    });
  });
});
