// Checkpoint sync from the editor against a real sshd test host, the runner's fake Drive and a fake
// Hugging Face Hub started here: Start Checkpoint Sync on Host… starts one detached watcher (a
// second start on the same directory does not start another), a fake training loop writes
// checkpoints, the host's Checkpoints rows show the newest confirmed on every tier, Stop ends the
// watcher's process group, Resume From Latest Checkpoint… restores the newest after the local ones
// are gone, and Fetch Data to Host… brings a Hub dataset onto the host (and shows the CLI's reason
// when it cannot).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { commandIds } from '../../src/ids';
import { HostSyncRows, CheckpointsNode, SyncRowNode } from '../../src/features/hosts/syncNodes';
import { remoteSyncFiles } from '../../src/core/sync/remoteSync';
import type { ResumeResult } from '../../src/core/sync/resume';
import type { DataFetchResult } from '../../src/core/data/dataFetch';
import { startFakeHfHub, type FakeHfHub } from '../support/fakeHfHub/server';
import { api, until } from './support';

const testHosts: { up: string[] } | undefined = process.env.AIRLOCK_TEST_SSH_HOSTS ? JSON.parse(process.env.AIRLOCK_TEST_SSH_HOSTS) : undefined;
const colab: { keyFile: string } | undefined = process.env.AIRLOCK_TEST_COLAB ? JSON.parse(process.env.AIRLOCK_TEST_COLAB) : undefined;
const token = 'hf_vscodeSyncToken';

/** The watchers of `dir` running on this machine (the sshd host is this machine). */
const watchers = (dir: string) =>
  execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(`sync watch ${dir} `));

suite('checkpoint sync', () => {
  let hub: FakeHfHub;
  let tmp: string;
  let dir: string;
  let host: string;
  const saved = new Map<string, Buffer>();

  suiteSetup(async function () {
    this.timeout(60_000);
    assert.ok(testHosts, 'the runner starts sshd test hosts');
    assert.ok(colab, 'the runner starts a fake Drive');
    host = testHosts.up[0]!;
    hub = await startFakeHfHub({ multipartAbove: 1024 * 1024, chunkSize: 512 * 1024 });
    hub.addToken(token, 'alice');
    process.env.AIRLOCK_HF_HUB_URL = hub.hubUrl;
    tmp = mkdtempSync(join(tmpdir(), 'airlock-vscode-sync-'));
    dir = join(tmp, 'ckpt');
    await vscode.commands.executeCommand(commandIds.colabSetServiceAccountKey, vscode.Uri.file(colab.keyFile));
    await vscode.commands.executeCommand(commandIds.protocolSetHfToken, token);
    await vscode.commands.executeCommand('notifications.clearAll');
    const a = await api();
    await a.hosts.reload();
  });
  suiteTeardown(async () => {
    for (const l of watchers(dir)) process.kill(-Number(l.trim().split(/\s+/)[0]), 'SIGKILL');
    delete process.env.AIRLOCK_HF_HUB_URL;
    await hub?.close();
    if (dir) rmSync(join(homedir(), remoteSyncFiles(dir).base.slice(2)), { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  /** A fake training loop's save: written beside, then renamed into place. */
  const save = (name: string, size = 200_000) => {
    const body = randomBytes(size);
    writeFileSync(join(dir, `${name}.tmp`), body);
    renameSync(join(dir, `${name}.tmp`), join(dir, name));
    saved.set(name, body);
  };

  const rows = async () => {
    const a = await api();
    await a.syncs.refresh([host]);
    const t = new HostSyncRows(host);
    t.update(a.syncs.records(host), a.syncs);
    const [cp] = t.roots();
    assert.ok(cp instanceof CheckpointsNode, 'a Checkpoints row under the host');
    return {
      cp,
      item: cp.toTreeItem(),
      kids: cp
        .children()
        .filter((k): k is SyncRowNode => k instanceof SyncRowNode)
        .map((k) => k.toTreeItem()),
    };
  };

  test('Start Checkpoint Sync on Host… watches the directory; the Checkpoints rows show the newest confirmed everywhere; a second start reuses the watcher', async function () {
    this.timeout(150_000);
    const a = await api();
    mkdirSync(dir, { recursive: true });
    const cfg = join(tmp, 'sync.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        tiers: {
          drive: { patterns: ['*.log', '*.pt'], intervalSec: 0.5, folder: `Airlock/vscode-sync-${Date.now()}` },
          hf: { patterns: ['*.pt'], intervalSec: 0.5, repo: 'alice/vscode-ckpts' },
        },
        retention: { keepLocal: 3, patterns: ['*.pt'] },
        settleSec: 0.4,
        scanSec: 0.25,
      }),
    );
    const failed = a.commandFailures.length;
    await vscode.commands.executeCommand(commandIds.protocolStartSync, host, dir, vscode.Uri.file(cfg));
    assert.deepEqual(a.commandFailures.slice(failed), []);
    assert.deepEqual(
      a.syncs.records(host).map((r) => r.dir),
      [dir],
    );
    assert.equal(watchers(dir).length, 1, 'one watcher runs');
    // Credentials went through a temp dir that is gone now; argv carries none.
    assert.ok(!watchers(dir)[0]!.includes(token), 'the token is not in argv');
    const stream = () => a.logs.store.list().find((s) => s.title === `checkpoint sync ${dir} on ${host}`);
    await until('the sync log in Live Logs', () => !!stream());

    writeFileSync(join(dir, 'train.log'), 'step 1 loss 2.0\n');
    for (const n of ['step_1.pt', 'step_2.pt', 'step_3.pt']) {
      save(n);
      await new Promise((r) => setTimeout(r, 500));
    }
    await until(
      'step_3.pt confirmed on Drive and HF',
      async () => {
        const f = a.syncs.view(host, dir)?.status?.state?.files['step_3.pt'];
        if (!(f?.tiers.drive?.status === 'confirmed' && f.tiers.hf?.status === 'confirmed')) {
          await a.syncs.refresh([host]);
          return false;
        }
        return true;
      },
      90_000,
    ).catch((e: Error) => {
      const lines = a.logs.store.range(stream()!.id, 0, 1e6).map((l) => l.text);
      throw new Error(`${e.message}; sync log:\n${lines.join('\n')}`);
    });
    const { item, kids } = await rows();
    assert.equal(item.contextValue, 'checkpoints.running');
    assert.match(String(item.description), /· syncing · 3 checkpoints$/);
    const latest = kids.find((k) => k.label === 'Latest checkpoint');
    assert.ok(latest, kids.map((k) => k.label).join(', '));
    assert.equal(latest.description, 'step_3.pt · local ✓ · Drive ✓ · HF ✓');
    assert.equal(latest.accessibilityInformation?.label, 'Latest checkpoint: step_3.pt · local ✓ · Drive ✓ · HF ✓');
    assert.ok(kids.some((k) => k.label === 'Last Drive sync' && /ago$/.test(String(k.description))));
    assert.ok(kids.some((k) => k.label === 'Last HF sync' && /ago$/.test(String(k.description))));
    assert.equal(hub.repo('model', 'alice/vscode-ckpts')?.files.get('step_3.pt')?.size, 200_000);

    // The same rows (objects) on the next read: a poll never swaps a row out under its menu.
    const t = new HostSyncRows(host);
    t.update(a.syncs.records(host), a.syncs);
    const before = [t.roots()[0], ...t.roots()[0]!.children()];
    await a.syncs.refresh([host]);
    t.update(a.syncs.records(host), a.syncs);
    assert.deepEqual([t.roots()[0], ...t.roots()[0]!.children()], before);

    const pid = readFileSync(join(homedir(), remoteSyncFiles(dir).pid.slice(2)), 'utf8').trim();
    await vscode.commands.executeCommand(commandIds.protocolStartSync, host, dir, vscode.Uri.file(cfg));
    assert.equal(watchers(dir).length, 1, 'still one watcher after a second start');
    assert.equal(readFileSync(join(homedir(), remoteSyncFiles(dir).pid.slice(2)), 'utf8').trim(), pid);
    assert.deepEqual(
      readdirSync(tmpdir()).filter((n) => n.startsWith('airlock-cred.') && existsSync(join(tmpdir(), n, 'hf-token'))),
      [],
      'no credentials file left behind',
    );
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('Stop Checkpoint Sync ends the watcher; Resume From Latest Checkpoint… restores the newest after the local ones are gone', async function () {
    this.timeout(120_000);
    const a = await api();
    const { cp } = await rows();
    await vscode.commands.executeCommand(commandIds.protocolStopSync, cp);
    await until('the watcher gone', () => watchers(dir).length === 0, 30_000);
    const after = await rows();
    assert.equal(after.item.contextValue, 'checkpoints.stopped');
    assert.match(String(after.item.description), /· stopped · /);
    assert.ok(a.syncs.view(host, dir)?.status?.state?.stoppedAt, 'the watcher recorded its stop');

    // The machine lost its disk: every local checkpoint is gone.
    for (const n of readdirSync(dir).filter((n) => n.endsWith('.pt'))) rmSync(join(dir, n));
    const out = join(tmp, 'resume');
    const r = await vscode.commands.executeCommand<ResumeResult | undefined>(commandIds.protocolResumeLatest, after.cp, out);
    assert.ok(r, `resume returned a result (${a.commandFailures.at(-1)?.message ?? ''})`);
    assert.equal(r.name, 'step_3.pt');
    assert.equal(r.tier, 'drive');
    assert.match(r.skipped.find((s) => s.tier === 'local')?.reason ?? '', /step_3\.pt is missing/);
    assert.deepEqual(readFileSync(join(out, 'step_3.pt')), saved.get('step_3.pt'));
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('Fetch Data to Host… puts a Hub dataset on the host, hash-checked; a missing dataset shows the CLI reason', async function () {
    this.timeout(90_000);
    const a = await api();
    hub.seed('dataset', 'alice/tiny', { 'train.csv': Buffer.from('a,b\n1,2\n'), 'big.bin': randomBytes(300_000) }, { lfsAbove: 1000 });
    const dest = join(tmp, 'data');
    const r = await vscode.commands.executeCommand<DataFetchResult | undefined>(commandIds.protocolFetchData, host, 'hf://datasets/alice/tiny', dest);
    assert.ok(r, `fetch returned a result (${a.commandFailures.at(-1)?.message ?? ''})`);
    assert.equal(r.files.length, 2);
    assert.equal(readFileSync(join(dest, 'train.csv'), 'utf8'), 'a,b\n1,2\n');
    assert.equal(statSync(join(dest, 'big.bin')).size, 300_000);
    const again = await vscode.commands.executeCommand<DataFetchResult | undefined>(commandIds.protocolFetchData, host, 'hf:alice/tiny', dest);
    assert.equal(again?.cached, true, 'a second fetch of the same revision downloads nothing');

    const failures = a.commandFailures.length;
    const none = await vscode.commands.executeCommand(commandIds.protocolFetchData, host, 'hf://datasets/alice/missing', join(tmp, 'data2'));
    assert.equal(none, undefined);
    const f = a.commandFailures.at(-1);
    assert.ok(a.commandFailures.length > failures && f, 'the failure was shown');
    assert.match(f.message, /Fetching hf:alice\/missing onto .* failed — .*(not found|404|alice\/missing)/i);
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});
