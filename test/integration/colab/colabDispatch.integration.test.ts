// Colab dispatch end to end against the fakes: the real Drive client uploads to the fake Drive,
// headless Debian Chromium drives the fake Colab page (persistent profile), and the "notebook"
// reports through its status file on the fake Drive. Each failure a user meets gives its code, a
// clear message and a screenshot.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { dispatchToColab, type DispatchEvent, type DispatchOptions } from '../../../src/core/colab/dispatch';
import { ColabError } from '../../../src/core/colab/colabErrors';
import { startFakeDrive, type FakeDrive } from '../../support/fakeDrive/server';
import { startFakeColab, type ColabScenario, type FakeColab } from '../../support/fakeColab/server';
import { chromiumArgs, chromiumPath } from '../../support/browser';

const template = readFileSync('test/fixtures/notebook/colab_template.ipynb', 'utf8');
const failing = template.replace('"print(\'done\') # a cell whose source is one string\\n"', '"raise ValueError(\\"bad lr\\")\\n"');
const skip = existsSync(chromiumPath) ? undefined : `missing real component: ${chromiumPath} is missing`;

describe('Colab dispatch against the fake Drive and the fake Colab page', { skip, timeout: 120_000 }, () => {
  let drive: FakeDrive;
  let colab: FakeColab;
  let dir: string;
  let keyJson: string;
  before(async () => {
    drive = await startFakeDrive();
    colab = await startFakeColab(drive);
    keyJson = drive.oauth.serviceAccountKey();
    dir = mkdtempSync(join(tmpdir(), 'airlock-colab-'));
  });
  after(async () => {
    await colab?.close();
    await drive?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    Object.assign(colab.scenario, {
      requireSignIn: false,
      offeredGpus: ['T4'],
      noGpuBackend: false,
      drivePermission: 'granted',
      hang: false,
      cellMs: 40,
      disconnectAfterCells: undefined,
      silentAfterCells: undefined,
    } satisfies ColabScenario);
  });

  const dispatch = (o: Partial<DispatchOptions> = {}, events: DispatchEvent[] = []) =>
    dispatchToColab({
      templateText: template,
      fileName: 'finetune.ipynb',
      set: { BATCH_SIZE: '16' },
      gpu: 'T4',
      driveFolder: 'Airlock/runs',
      credentials: { kind: 'service-account', keyJson },
      driveRootUrl: drive.rootUrl,
      driveRetryDelayMs: 5,
      browser: {
        colabUrl: colab.url,
        profileDir: join(dir, 'profile'),
        headless: true,
        executablePath: chromiumPath,
        screenshotDir: join(dir, 'shots'),
        loadTimeoutMs: 15_000,
      },
      timeoutMs: 20_000,
      pollMs: 100,
      startTimeoutMs: 8000,
      staleAfterMs: 60_000,
      onEvent: (e) => events.push(e),
      ...o,
    });

  const rejectsWith = async (p: Promise<unknown>, code: string, message: RegExp) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ColabError, `expected ColabError ${code}, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    assert.ok(err.screenshot && existsSync(err.screenshot), 'a screenshot of the page is saved');
    return err;
  };

  test('upload, GPU runtime, run all, progress from the status file, results listed', async () => {
    const events: DispatchEvent[] = [];
    const r = await dispatch({}, events);
    assert.equal(r.state, 'done');
    assert.match(r.runId, /^finetune-\d{8}-\d{6}$/);
    assert.equal(r.status?.cell, r.status?.total);
    assert.deepEqual(r.files.map((f) => f.path).sort(), ['airlock_output.log', 'airlock_status.json', 'finetune.ipynb', 'plots/report.html', 'results.json']);
    assert.equal(r.notebookUrl, `${colab.url}/drive/${r.fileId}`);
    const uploaded = drive.store.get(r.fileId)!;
    assert.equal(uploaded.mimeType, 'application/vnd.google.colaboratory');
    assert.match(uploaded.content!.toString(), /BATCH_SIZE = 16 #@param/);
    assert.match(uploaded.content!.toString(), /AIRLOCK_RUN_DIR = \\"\/content\/drive\/MyDrive\/Airlock\/runs\/finetune-/);
    assert.equal(colab.runs.get(r.fileId)?.gpu, 'T4', 'the runtime type was set through the dialog');
    const kinds = events.map((e) => e.type);
    assert.deepEqual(kinds.slice(0, 2), ['rendered', 'uploaded']);
    const states = events.flatMap((e) => (e.type === 'status' ? [e.status.state] : []));
    assert.equal(states.at(-1), 'done');
    assert.ok(states.filter((s) => s === 'running').length >= 1, 'progress seen while running');
    assert.ok(
      events.some((e) => e.type === 'log' && /not authored by Google/.test(e.message)),
      'the warning was accepted',
    );
    // What the notebook printed, tailed from the output log its status cell keeps on Drive.
    const printed = events.flatMap((e) => (e.type === 'output' ? [e.line] : []));
    assert.deepEqual(
      printed.filter((l) => !l.startsWith('Airlock: run')),
      ['done'],
      printed.join('\n'),
    );
    assert.ok(printed[0]?.startsWith('Airlock: run finetune-'), "the status cell's own line comes first");
  });

  test('a failing cell ends the run "failed" with its exception and traceback, and a screenshot', async () => {
    const r = await dispatch({ templateText: failing });
    assert.equal(r.state, 'failed');
    assert.equal(r.status?.error, 'ValueError: bad lr');
    assert.match(r.status!.traceback!, /Traceback[\s\S]*raise ValueError/);
    assert.ok(r.screenshot && existsSync(r.screenshot));
  });

  test('signed out: headless stops with "sign-in needed"; after a sign-in in the same profile, runs go through', async () => {
    colab.scenario.requireSignIn = true;
    await rejectsWith(dispatch(), 'sign-in-needed', /Colab asked for a Google sign-in — .*run once with --headed/);
    // What the user does once in the headed window: sign in; the persistent profile keeps it.
    const { chromium } = await import('playwright-core');
    const ctx = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: chromiumPath, headless: true, args: chromiumArgs });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(`${colab.url}/ServiceLogin?continue=/`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForURL(`${colab.url}/`);
    await ctx.close();
    assert.equal((await dispatch()).state, 'done');
  });

  test('no GPU backend (usage limits) and a GPU type not offered are "no-gpu"', async () => {
    colab.scenario.noGpuBackend = true;
    await rejectsWith(dispatch(), 'no-gpu', /Colab cannot connect to a GPU backend — Colab has no GPU for this account/);
    colab.scenario.noGpuBackend = false;
    await rejectsWith(dispatch({ gpu: 'A100' }), 'no-gpu', /Colab does not offer the A100 GPU to this account/);
  });

  test('a Drive permission prompt in a headless run is "drive-not-authorised"', async () => {
    colab.scenario.drivePermission = 'prompt';
    await rejectsWith(dispatch(), 'drive-not-authorised', /waiting for permission to mount Google Drive — .*click "Connect to Google Drive"/);
  });

  test('a disconnected runtime is reported from the dialog, or from a stale heartbeat when there is none', async () => {
    colab.scenario.disconnectAfterCells = 2;
    await rejectsWith(dispatch(), 'runtime-disconnected', /Colab says the runtime disconnected/);
    colab.scenario.disconnectAfterCells = undefined;
    colab.scenario.silentAfterCells = 2;
    await rejectsWith(dispatch({ staleAfterMs: 1500 }), 'runtime-disconnected', /stopped reporting after cell 2\/\d+/);
  });

  test('a run that does not finish in time is interrupted and reported as a timeout', async () => {
    colab.scenario.hang = true;
    const events: DispatchEvent[] = [];
    await rejectsWith(dispatch({ timeoutMs: 2500 }, events), 'timeout', /did not finish within 3 s \(at cell \d+\/\d+\)/);
    const uploaded = events.find((e) => e.type === 'uploaded');
    assert.ok(uploaded?.type === 'uploaded' && colab.runs.get(uploaded.fileId)?.interrupted, 'Runtime → Interrupt execution was used');
  });

  test('cancel interrupts the run and rejects with CancelledError; a missing browser is explained', async () => {
    colab.scenario.hang = true;
    const ctl = new AbortController();
    const events: DispatchEvent[] = [];
    const p = dispatch({ signal: ctl.signal, onEvent: (e) => (events.push(e), e.type === 'status' && e.status.cell >= 1 && ctl.abort()) });
    await assert.rejects(p, (e: Error) => e.name === 'CancelledError');
    const uploaded = events.find((e) => e.type === 'uploaded');
    assert.ok(uploaded?.type === 'uploaded' && colab.runs.get(uploaded.fileId)?.interrupted);
    await assert.rejects(
      dispatch({ browser: { profileDir: join(dir, 'p2'), headless: true, executablePath: '/nonexistent/chrome', screenshotDir: dir } }),
      (e: ColabError) => e.code === 'browser-missing' && /never downloads a browser/.test(e.message),
    );
  });
});
