// A 1 GB client log (the previous reader failed on any log over 512 MiB: "Cannot create a string
// longer than 0x1fffffe8 characters") analysed by the CLI as users run it, with the V8 heap capped
// well below the log's size, so the test fails if the reader ever holds the log in memory again.
// The log is generated on the fly (seeded, bench/logGen.ts) and deleted afterwards. No time is asserted.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCaseLogs } from '../../../bench/logGen';
import { cliBundle } from '../../support/cliBundle';

const tmp = mkdtempSync(join(tmpdir(), 'airlock-1gb-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const heapMiB = 512;

describe('analysis of a 1 GB log', () => {
  const logs = generateCaseLogs(join(tmp, 'case'), { bytesPerLog: 2e6, clientBytes: 2 ** 30 + 5e6, seed: 3 });
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [`--max-old-space-size=${heapMiB}`, cliBundle(), 'analyze', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });

  test('analyze latency: every step of the 1 GB client log counted, heap capped at 512 MiB', () => {
    assert.ok(statSync(logs.client).size > 2 ** 30 - 1, 'the client log is over 1 GiB');
    const r = cli('latency', '--client-log', logs.client, '--server1-log', logs.server1, '--server2-log', logs.server2);
    assert.equal(r.status, 0, r.stderr);
    const count = (label: string) =>
      r.stdout
        .split('\n')
        .find((l) => l.startsWith(`${label} `))
        ?.trim()
        .split(/\s+/)
        .at(-1);
    assert.equal(count('step_latency_ms'), String(logs.clientSteps));
    assert.equal(count('network_total_ms'), String(logs.clientSteps), 'one step record per step id');
    assert.equal(count('tx_raw_kb'), String(logs.clientSteps));
    assert.match(r.stdout, /Derived proxies/);
  });

  test('analyze tradeoff: one CSV row from the same logs', () => {
    const csv = join(tmp, 'tradeoff_matrix.csv');
    const r = cli('tradeoff', '--case', `name=big,client=${logs.client},server1=${logs.server1},server2=${logs.server2},batch=84`, '--output-csv', csv);
    assert.equal(r.status, 0, r.stderr);
    const rows = readFileSync(csv, 'utf8').split('\r\n');
    assert.equal(rows.length, 3, 'header, one row, final CRLF');
    const cells = rows[1]!.split(',');
    assert.equal(cells[0], 'big');
    assert.ok(Number(cells[5]) > 80 && Number(cells[5]) < 130, `mean step latency within the generated range: ${cells[5]}`);
  });
});
