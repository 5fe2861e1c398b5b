// Jupyter on a Slurm compute node from the real workbench: a real slurmctld + slurmd behind an sshd
// login node (`hpc-1`). Start Jupyter on Slurm… from the cluster's context menu pends while the GPUs
// are taken (the progress and the row say Slurm's reason), then runs; the server is a row under the
// cluster and a target in Dispatch Notebook…, where a notebook runs inside the job; Stop cancels
// the job and nothing is left in squeue.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { jupyterSkipReason } from '../support/jupyterServer';
import { slurmSkipReason, startSlurmCluster, type SlurmTestCluster } from '../support/slurmCluster';
import { sshdSkipReason, startSshHosts, type SshTestHosts } from '../support/sshd';
import { contextMenu, openViewContainer, runCommand, soloView, treeItem, webviewFrame } from '../support/workbench';

const skip = slurmSkipReason() ?? sshdSkipReason() ?? jupyterSkipReason();

describe('Jupyter on Slurm in the editor', { skip, timeout: 300_000 }, () => {
  let s: E2eSession;
  let cluster: SlurmTestCluster;
  let login: SshTestHosts;
  before(async () => {
    cluster = await startSlurmCluster({ killWaitSec: 5 });
    login = await startSshHosts(1, { aliasPrefix: 'hpc', sshdConfig: cluster.sshdConfig() });
    await cluster.makeLoginNode(login.hosts[0]!);
    s = await startE2eSession({ env: { AIRLOCK_SSH_CONFIG: login.sshConfigPath } });
    mkdirSync(join(s.workspace.folder, '.vscode'), { recursive: true });
    writeFileSync(
      join(s.workspace.folder, '.vscode', 'settings.json'),
      // Debian's python (with jupyter_server and ipykernel) first on the node, as a module line would put a site's.
      JSON.stringify({ 'airlock.slurm.refreshIntervalSec': 2, 'airlock.slurm.jupyterSetup': 'export PATH=/usr/bin:$PATH' }),
    );
    const cell = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });
    writeFileSync(
      join(s.workspace.folder, 'on_slurm.ipynb'),
      JSON.stringify({
        cells: [cell('import os\nprint("job", os.environ["SLURM_JOB_ID"], "gpus", os.environ.get("CUDA_VISIBLE_DEVICES"))')],
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
  });
  let closed = false;
  after(async () => {
    if (!closed) await s?.close();
    await cluster?.stop();
    await login?.stop();
  });

  test('Start Jupyter on Slurm… pends with its reason, runs, takes a notebook from Dispatch Notebook…; Stop leaves nothing in squeue', async () => {
    await s.step('slurm-jupyter', async () => {
      const page = s.page;
      const quick = page.locator('.quick-input-widget');
      const input = quick.locator('input').first();
      const toasts = page.locator('.notifications-toasts');
      await openViewContainer(page, 'Airlock');
      await soloView(page, 'Hosts');
      const host = treeItem(page, 'Hosts', /^hpc-1\b/);
      await host.filter({ hasText: /Slurm cluster/ }).waitFor({ state: 'visible', timeout: 60_000 });
      if ((await host.getAttribute('aria-expanded')) !== 'true') await host.locator('.monaco-tl-twistie').click();
      await treeItem(page, 'Hosts', /^Partitions\b/).waitFor({ state: 'visible', timeout: 30_000 });
      // Every GPU taken: the server's job pends with reason Resources.
      const blocker = cluster.run('sbatch', '--parsable', '-J', 'blocker', '--gres=gpu:4', '-o', '/dev/null', '--wrap', 'sleep 300').trim();

      await contextMenu(host, /^Start Jupyter on Slurm/);
      // One partition: no pick. GRES (gpu:1 proposed where there are GPUs), then the time limit.
      await quick.getByText(/Start Jupyter on hpc-1 \(2\/3\)/).waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await input.inputValue(), 'gpu:1');
      await page.keyboard.press('Enter');
      await quick.getByText(/\(3\/3\)/).waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('10:00');
      await page.keyboard.press('Enter');
      await toasts
        .getByText(/pending \(Resources\)/)
        .first()
        .waitFor({ state: 'visible', timeout: 60_000 });
      const row = treeItem(page, 'Hosts', /^Jupyter\b/);
      await row.filter({ hasText: /job \d+ · pending \(Resources\)/ }).waitFor({ state: 'visible', timeout: 30_000 });
      const job = /job (\d+)/.exec(await row.innerText())![1]!;
      assert.match(cluster.run('squeue', '-h', '-j', job, '-o', '%T|%r').trim(), /^PENDING\|Resources$/);

      cluster.run('scancel', blocker);
      await toasts.getByText(new RegExp(`Jupyter runs on n1 \\(job ${job} on hpc-1\\)`)).waitFor({ state: 'visible', timeout: 90_000 });
      const running = treeItem(page, 'Hosts', /^Jupyter on n1\b/);
      await running.filter({ hasText: new RegExp(`job ${job} · 127\\.0\\.0\\.1:\\d+`) }).waitFor({ state: 'visible', timeout: 10_000 });
      // Its job is among My Jobs too, as Slurm sees it.
      await treeItem(page, 'Hosts', new RegExp(`^${job} airlock-jupyter\\b`))
        .filter({ hasText: /RUNNING · gpu · n1 · 1 GPU/ })
        .waitFor({ state: 'visible', timeout: 30_000 });

      // Dispatch Notebook… offers the server with the running pods and Jupyter servers; the notebook runs inside the job.
      await runCommand(page, 'Airlock: Dispatch Notebook…');
      await quick
        .getByRole('option', { name: /on_slurm\.ipynb/ })
        .first()
        .click({ timeout: 20_000 });
      await quick
        .getByRole('option', { name: new RegExp(`hpc-1 n1.*job ${job}`) })
        .first()
        .click({ timeout: 10_000 });
      await soloView(page, 'Notebooks');
      const run = treeItem(page, 'Notebooks', /^on_slurm\.ipynb\b.*hpc-1 n1/);
      await run.filter({ hasText: /done/ }).waitFor({ state: 'visible', timeout: 90_000 });
      const log = webviewFrame(page).getByRole('log', { name: 'Log lines' });
      await log.getByText(`job ${job} gpus 0`).first().waitFor({ state: 'visible', timeout: 10_000 });

      await soloView(page, 'Hosts');
      await contextMenu(running, /^Stop Jupyter on Slurm/);
      await toasts.getByText(new RegExp(`Jupyter job ${job} on hpc-1 cancelled`)).waitFor({ state: 'visible', timeout: 60_000 });
      await running.waitFor({ state: 'detached', timeout: 10_000 });
      assert.equal(cluster.run('squeue', '-h', '-o', '%i %T').trim(), '', 'nothing of ours is left in squeue');
    });
  });
  test('closing the editor ends the job: nothing outlives the window that started it', async () => {
    await s.step('slurm-jupyter-close', async () => {
      const page = s.page;
      const quick = page.locator('.quick-input-widget');
      const host = treeItem(page, 'Hosts', /^hpc-1\b/);
      await contextMenu(host, /^Start Jupyter on Slurm/);
      await quick.getByText(/Start Jupyter on hpc-1 \(2\/3\)/).waitFor({ state: 'visible', timeout: 30_000 });
      await page.keyboard.press('Enter');
      await quick.getByText(/\(3\/3\)/).waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.press('Enter');
      const running = treeItem(page, 'Hosts', /^Jupyter on n1\b/);
      await running.filter({ hasText: /job \d+ · 127\.0\.0\.1:\d+/ }).waitFor({ state: 'visible', timeout: 90_000 });
      const job = /job (\d+)/.exec(await running.innerText())![1]!;
      assert.match(cluster.run('squeue', '-h', '-j', job, '-o', '%T').trim(), /^RUNNING$/);
      closed = true;
      await s.close();
    });
    await cluster.waitFor('the job to end with the editor', () => cluster.run('squeue', '-h', '-o', '%i %T').trim() === '', 60_000);
  });
});
