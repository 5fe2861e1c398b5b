// The streaming analysis against the previous implementation (a frozen copy in
// test/support/analysisOracle, itself checked against the original's numbers by the other tests):
// byte-identical reports, CSVs, sweep metrics and error messages on logs from the seeded generator,
// clean and perturbed (CRLF, lone CR, garbage lines, NUL bytes, invalid UTF-8, missing lines, a
// truncated last line, empty server logs), read with the real chunk size and with tiny chunks that
// put line ends, CRLF pairs and tags across chunk boundaries.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCaseLogs, type GenOptions } from '../../../bench/logGen';
import { latencyBreakdown } from '../../../src/core/analysis/latencyReport';
import { collectCaseMetrics, parseCaseSpec, tradeoffCsv } from '../../../src/core/analysis/tradeoff';
import { renderTradeoffReport } from '../../../src/core/analysis/tradeoffReport';
import { analyzeCaseDir } from '../../../src/core/analysis/sweepMatrix';
import { analyzeCollected } from '../../../src/core/analysis/collectAnalysis';
import { scanTuning } from '../../../src/core/analysis/logStream';
import * as old from '../../support/analysisOracle/latencyReport';
import * as oldTradeoff from '../../support/analysisOracle/tradeoff';
import { renderTradeoffReport as oldReport } from '../../support/analysisOracle/tradeoffReport';
import { analyzeCaseDir as oldCaseDir } from '../../support/analysisOracle/sweepMatrix';

const tmp = mkdtempSync(join(tmpdir(), 'airlock-oracle-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const logsOf = (d: string) => [join(d, 'inference.log'), join(d, 'server1.log'), join(d, 'server2.log')] as const;
const specOf = (d: string, name: string) => `name=${name},client=${logsOf(d)[0]},server1=${logsOf(d)[1]},server2=${logsOf(d)[2]},compression=1,batch=84`;
const outcome = <T>(p: Promise<T>) =>
  p.then(
    (v) => ({ ok: v }),
    (err: Error) => ({ error: `${err.name}: ${err.message}` }),
  );
const chunkSizes = [4 << 20, 4096, 97];

async function assertSameAsOracle(dirs: string[]): Promise<void> {
  const oldLatency = await Promise.all(dirs.map((d) => outcome(old.latencyBreakdown(...logsOf(d)))));
  const oldRows = await outcome(
    (async () => {
      const rows = [];
      for (const [i, d] of dirs.entries()) rows.push(await oldTradeoff.collectCaseMetrics(oldTradeoff.parseCaseSpec(specOf(d, `case${i}`))));
      return `${oldTradeoff.tradeoffCsv(rows)}\n${oldReport(rows, 'case0', 'x.csv')}`;
    })(),
  );
  const oldSweep = await Promise.all(dirs.map((d) => outcome(oldCaseDir(d))));
  for (const chunkSize of chunkSizes) {
    scanTuning.chunkSize = chunkSize;
    try {
      const at = `chunk ${chunkSize}`;
      for (const [i, d] of dirs.entries()) assert.deepEqual(await outcome(latencyBreakdown(...logsOf(d))), oldLatency[i], `latency, ${at}`);
      const rows = await outcome(
        (async () => {
          const r = [];
          for (const [i, d] of dirs.entries()) r.push(await collectCaseMetrics(parseCaseSpec(specOf(d, `case${i}`))));
          return `${tradeoffCsv(r)}\n${renderTradeoffReport(r, 'case0', 'x.csv')}`;
        })(),
      );
      assert.deepEqual(rows, oldRows, `tradeoff, ${at}`);
      for (const [i, d] of dirs.entries()) assert.deepEqual(await outcome(analyzeCaseDir(d)), oldSweep[i], `sweep metrics, ${at}`);
    } finally {
      scanTuning.chunkSize = 4 << 20;
    }
  }
  // The collect step (each case read once for both outputs, cases on worker threads) gives the same files.
  const collected = await analyzeCollected(
    dirs.map((d, i) => ({ clientLog: logsOf(d)[0], server1Log: logsOf(d)[1], server2Log: logsOf(d)[2], spec: specOf(d, `case${i}`) })),
    2,
  );
  collected.forEach((c, i) => {
    const want = oldLatency[i]!;
    if ('ok' in want) assert.deepEqual(c.latency, { text: want.ok }, 'collect latency');
    else assert.ok('error' in c.latency && want.error.endsWith(c.latency.error), 'collect latency error');
  });
  if ('ok' in oldRows) {
    const rows = collected.map((c) => ('row' in c.tradeoff ? c.tradeoff.row : assert.fail(`collect tradeoff failed: ${JSON.stringify(c.tradeoff)}`)));
    assert.equal(`${tradeoffCsv(rows)}\n${renderTradeoffReport(rows, 'case0', 'x.csv')}`, oldRows.ok, 'collect tradeoff');
  }
}

describe('streaming analysis = previous implementation', () => {
  const gen = (name: string, o: GenOptions) => generateCaseLogs(join(tmp, name), o);

  test('clean generated logs, two cases', async () => {
    gen('clean1', { bytesPerLog: 400_000, seed: 11 });
    gen('clean2', { bytesPerLog: 250_000, seed: 12 });
    await assertSameAsOracle([join(tmp, 'clean1'), join(tmp, 'clean2')]);
  });

  test('perturbed logs: CRLF, lone CR, garbage, NUL, invalid UTF-8 (also inside tags), missing lines, truncated last line', async () => {
    gen('pert1', { bytesPerLog: 400_000, seed: 21, perturb: true });
    gen('pert2', { bytesPerLog: 300_000, seed: 22, perturb: true });
    const raw = readFileSync(join(tmp, 'pert1', 'inference.log'));
    assert.ok(raw.includes('\r\n') && raw.includes(0) && raw.includes(0xff), 'the generator perturbed the log');
    await assertSameAsOracle([join(tmp, 'pert1'), join(tmp, 'pert2')]);
  });

  test('empty server logs and an empty client log', async () => {
    gen('empty', { bytesPerLog: 200_000, seed: 31, emptyServers: true });
    gen('allEmpty', { bytesPerLog: 0, seed: 32, emptyServers: true });
    await assertSameAsOracle([join(tmp, 'empty'), join(tmp, 'allEmpty')]);
  });

  test('a number Python cannot parse: the same message, file and line (CRLF and lone CR counted once each)', async () => {
    gen('bad', { bytesPerLog: 150_000, seed: 41, perturb: true });
    const server2 = join(tmp, 'bad', 'server2.log');
    appendFileSync(
      server2,
      '\r\nx [HANDLER_STEP_TIMING] step_id=a queue_wait=1.2.3ms queue_source=q push_schedule=1ms response_emit=1ms handler_total=1ms can_push=1\r\n',
    );
    await assertSameAsOracle([join(tmp, 'bad')]);
    const client = join(tmp, 'bad', 'inference.log');
    writeFileSync(client, `ok\r\r\n[STEP_LATENCY] Process=0 | Step=1 | Latency=1.2.3ms\n${readFileSync(client, 'latin1')}`, 'latin1');
    await assertSameAsOracle([join(tmp, 'bad')]);
    await assert.rejects(latencyBreakdown(...logsOf(join(tmp, 'bad'))), /inference\.log:3: could not convert string to float: '1\.2\.3'/);
  });

  test('a missing log: the same error, before any parse error', async () => {
    gen('missing', { bytesPerLog: 50_000, seed: 51 });
    rmSync(join(tmp, 'missing', 'server1.log'));
    await assertSameAsOracle([join(tmp, 'missing')]);
  });
});
