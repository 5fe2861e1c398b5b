// Live Logs inside the real extension host: the Run Command on Host and Tail Remote File commands
// stream into the store, the panel opens, and cancel from the job list stops the process.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { mkdtempSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandIds } from '../../src/ids';
import type { AirlockApi } from '../../src/extension';
import { api, until } from './support';

const texts = (a: AirlockApi, id: string) => a.logs.store.range(id, 0, 1e9).map((l) => l.text);
const newest = (a: AirlockApi) => a.logs.store.list().at(-1)!;

suite('live logs', () => {
  test('Run Command on Host streams a command on local into a stream and opens the panel', async function () {
    this.timeout(60_000);
    const a = await api();
    const before = a.logs.store.list().length;
    await vscode.commands.executeCommand(commandIds.hostsRunCommand, 'local', 'for i in 1 2 3; do echo "line $i"; done; echo oops >&2');
    await until('a new stream', () => a.logs.store.list().length === before + 1);
    const s = newest(a);
    await until('the command to end', () => a.logs.store.info(s.id)!.state !== 'running');
    assert.equal(a.logs.store.info(s.id)!.state, 'done');
    assert.deepEqual(texts(a, s.id).sort(), ['line 1', 'line 2', 'line 3', 'oops']);
    assert.equal(a.logs.store.range(s.id, 0, 10).find((l) => l.text === 'oops')?.err, true);
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.includes('Live Logs'));
    assert.ok(tab, 'the Live Logs panel is open');
  });

  test('Tail Remote File follows a growing file until the job is cancelled', async function () {
    this.timeout(60_000);
    const a = await api();
    const dir = mkdtempSync(join(tmpdir(), 'airlock-tail-'));
    const file = join(dir, 'train.log');
    writeFileSync(file, 'epoch 1\n');
    await vscode.commands.executeCommand(commandIds.hostsTailFile, 'local', file);
    const s = newest(a);
    await until('the first line', () => texts(a, s.id).includes('epoch 1'));
    appendFileSync(file, 'epoch 2\n');
    await until('the appended line', () => texts(a, s.id).includes('epoch 2'));
    const job = a.logs.jobs.running().find((j) => j.logStreamId === s.id);
    assert.ok(job, 'the tail is a running job');
    assert.equal(a.logs.jobs.cancel(job.id), true);
    await until('the tail to stop', () => a.logs.store.info(s.id)!.state === 'cancelled');
    assert.equal(
      a.logs.jobs.running().some((j) => j.id === job.id),
      false,
    );
  });
});
