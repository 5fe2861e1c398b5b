// Clicks through the real workbench with the packaged extension, like a newcomer opening examples/:
// Hosts shows this machine (`local`) plus two real sshd hosts (one down), and a command's output
// streams into Live Logs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startE2eSession, type E2eSession } from '../support/e2eSession';
import { sshdSkipReason, startSshHosts, type SshTestHosts } from '../support/sshd';
import { openViewContainer, runCommand, screenshot, soloView, treeItem, viewHeader, webviewFrame, widenSidebar } from '../support/workbench';

describe('workbench with the packaged Airlock extension', { timeout: 300_000 }, () => {
  let s: E2eSession;
  let ssh: SshTestHosts | undefined;
  before(async () => {
    const env: Record<string, string> = {};
    if (!sshdSkipReason()) {
      ssh = await startSshHosts(2, { aliasPrefix: 'lab-gpu' });
      await ssh.hosts[1]!.stop(); // a machine that is down
      env.AIRLOCK_SSH_CONFIG = ssh.sshConfigPath;
    }
    s = await startE2eSession({ env });
  });
  after(async () => {
    await s?.close();
    await ssh?.stop();
  });

  test('the Airlock activity bar item shows the Phases, Hosts and Pods views', async () => {
    await s.step('views', async () => {
      await openViewContainer(s.page, 'Airlock');
      for (const view of ['Phases', 'Hosts', 'Pods']) {
        await viewHeader(s.page, view).waitFor({ state: 'visible', timeout: 15_000 });
        assert.equal(await viewHeader(s.page, view).isVisible(), true, `${view} view is not visible`);
      }
    });
  });

  test('Hosts lists `local` and the sshd hosts with their facts; the stopped one says why', async () => {
    await s.step('hosts', async () => {
      await openViewContainer(s.page, 'Airlock');
      const local = treeItem(s.page, 'Hosts', /^local\b/);
      await local.waitFor({ state: 'visible', timeout: 30_000 });
      assert.equal(await local.count(), 1, 'exactly one `local` host');
      // The probe's facts replace "probing…": free disk is reported on every machine, GPU or not.
      await local.filter({ hasText: /free/ }).waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await local.innerText(), /free/);
      if (ssh) {
        const up = treeItem(s.page, 'Hosts', /^lab-gpu-1\b/);
        await up.filter({ hasText: /free/ }).waitFor({ state: 'visible', timeout: 30_000 });
        const down = treeItem(s.page, 'Hosts', /^lab-gpu-2\b/);
        await down.filter({ hasText: /unreachable/ }).waitFor({ state: 'visible', timeout: 30_000 });
        assert.match(await down.innerText(), /unreachable — .*(refused|ECONNREFUSED)/i);
      }
    });
  });

  test('Run Command on Host streams the output into Live Logs', async () => {
    await s.step('live-logs', async () => {
      const host = ssh ? 'lab-gpu-1' : 'local';
      await runCommand(s.page, 'Airlock: Run Command on Host');
      const pick = s.page.locator('.quick-input-widget').getByRole('option', { name: new RegExp(`^${host}\\b`) });
      await pick.first().click({ timeout: 15_000 });
      const input = s.page.locator('.quick-input-widget input');
      await input.first().waitFor({ state: 'visible', timeout: 15_000 });
      await input.first().fill('for i in $(seq 1 400); do printf "\\033[32mstep %d\\033[0m loss=%.3f\\n" $i $((1000/i)); sleep 0.03; done; echo finished');
      await s.page.keyboard.press('Enter');
      const tab = s.page.locator('.part.editor').getByRole('tab', { name: /Live Logs/ });
      await tab.waitFor({ state: 'visible', timeout: 20_000 });
      const frame = webviewFrame(s.page);
      // Lines arrive while the command runs, ANSI colours are rendered as spans, not escape codes.
      const log = frame.getByRole('log', { name: 'Log lines' });
      await log
        .getByText(/^step 3\d loss/)
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      // The picture for the README: Hosts with their facts next to a stream that is still running
      // (the other views folded, so Hosts has the room).
      await openViewContainer(s.page, 'Airlock');
      await soloView(s.page, 'Hosts');
      await treeItem(s.page, 'Hosts', new RegExp(`^${host}\\b`)).click();
      await s.page.keyboard.press('ArrowRight');
      await log
        .getByText(/^step 1[5-9]\d loss/)
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      await widenSidebar(s.page, 180);
      await screenshot(s.page, 'hosts', { docs: true });
      // Follow keeps the newest line in view until the command ends.
      await log.getByText('finished', { exact: true }).waitFor({ state: 'visible', timeout: 60_000 });
      const visible = await log.innerText();
      assert.match(visible, /step 39\d loss=2\.000/);
      assert.ok(!visible.includes('\u001b') && !/\[32m|\[0m/.test(visible), 'escape codes are rendered as colour, never shown raw');
      const green = log.locator('.text span').filter({ hasText: /^step 400$/ });
      // Any computed colour "matches /rgb/"; compare with the theme's ANSI green and the plain text colour instead.
      // No named helpers inside: the evaluated function is serialised, and tsx's __name would not exist there.
      const colours = await green.evaluate((e) => {
        const g = globalThis as unknown as { getComputedStyle(x: unknown): { color: string } };
        const el = e as unknown as {
          parentElement: { appendChild(c: unknown): void; removeChild(c: unknown): void };
          ownerDocument: { createElement(t: string): { style: { color: string } } };
        };
        const probe = el.ownerDocument.createElement('span');
        probe.style.color = 'var(--vscode-terminal-ansiGreen)';
        el.parentElement.appendChild(probe);
        const themeGreen = g.getComputedStyle(probe).color;
        el.parentElement.removeChild(probe);
        return { span: g.getComputedStyle(e).color, themeGreen, plain: g.getComputedStyle(el.parentElement).color };
      });
      assert.equal(colours.span, colours.themeGreen, "the green span has the theme's ANSI green");
      assert.notEqual(colours.span, colours.plain, 'and it differs from the plain text colour');
      await screenshot(s.page, 'live-logs', { docs: true });
    });
  });
});
