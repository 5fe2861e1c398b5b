// A Slurm cluster in the real workbench: a real slurmctld + slurmd on loopback behind an sshd login
// node (`hpc-1`). The Hosts view shows it as a cluster — partitions with nodes and GPUs free, my
// jobs with arrays grouped — the example phase queue is drained by a job array submitted from the
// palette, and a held job is released, tailed into Live Logs and cancelled from its context menu.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { slurmSkipReason, startSlurmCluster, type SlurmTestCluster } from '../support/slurmCluster';
import { sshdSkipReason, startSshHosts, type SshTestHosts } from '../support/sshd';
import { contextMenu, openViewContainer, runCommand, screenshot, soloView, treeItem, viewHeader, webviewFrame, widenSidebar } from '../support/workbench';

const skip = slurmSkipReason() ?? sshdSkipReason();

describe('Slurm cluster in the Hosts view', { skip, timeout: 400_000 }, () => {
  let s: E2eSession;
  let cluster: SlurmTestCluster;
  let login: SshTestHosts;
  before(async () => {
    cluster = await startSlurmCluster({ killWaitSec: 5 });
    // Entries of the example queue take ~8 s each inside the tasks (the login shell's environment reaches them through sbatch).
    const [setEnv] = cluster.sshdConfig();
    login = await startSshHosts(1, { aliasPrefix: 'hpc', sshdConfig: [`${setEnv} AIRLOCK_EXAMPLE_STEP_SEC=1.5`] });
    await cluster.makeLoginNode(login.hosts[0]!);
    s = await startE2eSession({ env: { AIRLOCK_SSH_CONFIG: login.sshConfigPath } });
    // Jobs move fast here: re-read the cluster every 2 s while the view is visible.
    mkdirSync(join(s.workspace.folder, '.vscode'), { recursive: true });
    writeFileSync(join(s.workspace.folder, '.vscode', 'settings.json'), JSON.stringify({ 'airlock.slurm.refreshIntervalSec': 2 }));
  });
  after(async () => {
    await s?.close();
    await cluster?.stop();
    await login?.stop();
  });

  test('the login node shows as a cluster: partitions with nodes and GPUs, then my jobs', async () => {
    await s.step('slurm-cluster', async () => {
      const page = s.page;
      await openViewContainer(page, 'Airlock');
      await soloView(page, 'Hosts');
      const host = treeItem(page, 'Hosts', /^hpc-1\b/);
      await host.filter({ hasText: /Slurm cluster/ }).waitFor({ state: 'visible', timeout: 60_000 });
      if ((await host.getAttribute('aria-expanded')) !== 'true') await host.locator('.monaco-tl-twistie').click();
      const partitions = treeItem(page, 'Hosts', /^Partitions\b/);
      await partitions.filter({ hasText: /1 partition · 4\/4 GPUs free/ }).waitFor({ state: 'visible', timeout: 30_000 });
      const gpu = treeItem(page, 'Hosts', /^gpu\b/);
      assert.match(await gpu.innerText(), /default · 1 node: 1 idle · GPUs 4\/4 free · CPUs 0\/8 busy/);
      await treeItem(page, 'Hosts', /^My Jobs\b/)
        .filter({ hasText: /none/ })
        .waitFor({ state: 'visible', timeout: 10_000 });
    });
  });

  test('Submit Phase Workers to Slurm… drains the example queue with a job array; its tasks show under My Jobs', async () => {
    await s.step('slurm-array', async () => {
      const page = s.page;
      const quick = page.locator('.quick-input-widget');
      const input = quick.locator('input').first();
      await runCommand(page, 'Airlock: Generate Phase TODO Lists');
      await page
        .locator('.notifications-toasts')
        .getByText(/smoke: 12 entries/)
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      await runCommand(page, 'Airlock: Submit Phase Workers to Slurm…');
      // One cluster: no pick. Tasks, partition, GRES, time limit.
      await quick.getByText(/Submit Phase Workers to hpc-1 \(1\/4\)/).waitFor({ state: 'visible', timeout: 30_000 });
      await input.fill('2');
      await page.keyboard.press('Enter');
      const part = quick.getByRole('option', { name: /^gpu\b/ }).first();
      await part.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await part.innerText(), /default[\s\S]*GPUs 4\/4 free/);
      await part.click();
      await quick.getByText(/\(3\/4\)/).waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await input.inputValue(), 'gpu:1', 'a partition with GPUs proposes one per task');
      await page.keyboard.press('Enter');
      await quick.getByText(/\(4\/4\)/).waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('10:00');
      await page.keyboard.press('Enter');
      const done = page.locator('.notifications-toasts').getByText(/job array (\d+) \(2 tasks\) submitted to hpc-1/);
      await done.waitFor({ state: 'visible', timeout: 60_000 });
      const job = /job array (\d+)/.exec(await done.innerText())![1]!;

      const array = treeItem(page, 'Hosts', new RegExp(`^${job} airlock-workers\\b`));
      await array.filter({ hasText: /array · 2 running/ }).waitFor({ state: 'visible', timeout: 60_000 });
      const task = treeItem(page, 'Hosts', /^task 0\b/);
      await task.filter({ hasText: /RUNNING · gpu · n1 · 1 GPU · \d+:\d+ \/ 10:00/ }).waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await treeItem(page, 'Hosts', /^Partitions\b/).innerText(), /2\/4 GPUs free/, 'the tasks hold two of the four GPUs');
      // Entries are claimed by the tasks: the Phases view names the node and the task.
      // Both views open: Hosts with the cluster, Phases with the queue the array drains.
      const phasesHeader = viewHeader(page, 'Phases');
      await phasesHeader.click({ position: { x: 12, y: 10 } });
      await treeItem(page, 'Phases', /^smoke\b/)
        .filter({ hasText: /[1-9]\d*\/12/ })
        .waitFor({ state: 'visible', timeout: 90_000 });
      await widenSidebar(page, 260);
      await screenshot(page, 'slurm', { docs: true });
      // The array drains the queue and ends; its tasks show as completed.
      await treeItem(page, 'Phases', /^smoke\b.*12\/12/).waitFor({ state: 'visible', timeout: 180_000 });
      await array.filter({ hasText: /array · 2 completed/ }).waitFor({ state: 'visible', timeout: 60_000 });
      await phasesHeader.click({ position: { x: 12, y: 10 } });
    });
  });

  test('a held job: Release, Tail Output into Live Logs, Cancel with a confirmation', async () => {
    await s.step('slurm-job', async () => {
      const page = s.page;
      const id = cluster
        .run(
          'sbatch',
          '--parsable',
          '--hold',
          '-J',
          'long-train',
          '-o',
          join(cluster.home, 'long-train-%j.out'),
          '--wrap',
          'echo "hello from slurm"; sleep 300',
        )
        .trim();
      const row = treeItem(page, 'Hosts', new RegExp(`^${id} long-train\\b`));
      await row.filter({ hasText: /HELD · gpu/ }).waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await row.innerText(), /\(JobHeldUser\)/);

      await contextMenu(row, /^Release Slurm Job/);
      await row.filter({ hasText: /RUNNING · gpu · n1/ }).waitFor({ state: 'visible', timeout: 60_000 });

      await contextMenu(row, /^Tail Slurm Job Output/);
      const log = webviewFrame(page).getByRole('log', { name: 'Log lines' });
      await log.getByText('hello from slurm').first().waitFor({ state: 'visible', timeout: 30_000 });

      await contextMenu(row, /^Cancel Slurm Job/);
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
      assert.match(await dialog.innerText(), new RegExp(`Cancel job ${id} \\(long-train\\) on hpc-1\\?[\\s\\S]*SIGTERM`));
      await dialog.getByRole('button', { name: 'Cancel Job' }).click();
      await row.filter({ hasText: /CANCELLED/ }).waitFor({ state: 'visible', timeout: 60_000 });
      const active = cluster.run('squeue', '-h', '-o', '%i %T').trim();
      assert.equal(active, '', 'nothing of ours is left in squeue');
    });
  });
});
