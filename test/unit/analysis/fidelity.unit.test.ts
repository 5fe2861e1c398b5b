// Where the previous implementation differed from Python (found side by side): integers from the
// logs are Python ints (exact beyond 2**53), and only undecodable bytes are dropped — a real U+FFFD
// in a log is text (open(errors="ignore")). Also: an undecodable byte inside a tag still lets the
// line match, as in Python, although the streaming reader looks for tags in the raw bytes.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latencyBreakdown } from '../../../src/core/analysis/latencyReport';
import { collectCaseMetrics, parseCaseSpec } from '../../../src/core/analysis/tradeoff';

const tmp = mkdtempSync(join(tmpdir(), 'airlock-fidelity-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes the three logs (Buffers, so invalid UTF-8 stays invalid) and returns the latency report. */
async function report(name: string, client: Buffer | string, server1: Buffer | string = '', server2: Buffer | string = ''): Promise<string> {
  const p = (f: string) => join(tmp, `${name}-${f}`);
  writeFileSync(p('c.log'), client);
  writeFileSync(p('s1.log'), server1);
  writeFileSync(p('s2.log'), server2);
  return latencyBreakdown(p('c.log'), p('s1.log'), p('s2.log'));
}
const lossless = (stage: string, batch: string, raw = '100.00', wire = '50.00') =>
  `x [LOSSLESS_PROFILE] side=client dir=tx stage=${stage} step_id=ab-01 batch=${batch} compress=0.10ms raw=${raw}KB wire=${wire}KB act_nnz_ratio=0.5\n`;
/** The table row that starts with these cells (columns separated by runs of spaces). */
const row = (text: string, ...cells: string[]) => text.split('\n').find((l) => l.trim().split(/\s+/).slice(0, cells.length).join(' ') === cells.join(' '));

describe('fidelity to Python', () => {
  test('ServerIdx beyond 2**53 stays exact: two servers, printed in full, in order', async () => {
    const line = (idx: string, ms: string) => `[CLIENT_SERVER_END] ServerIdx=${idx} | Blocks=0:20 | Duration=${ms}ms\n`;
    const text = await report('idx', line('9007199254740993', '2.00') + line('9007199254740992', '1.00') + line('9007199254740993', '4.00'));
    assert.equal(row(text, '9007199254740992')?.trim().split(/\s+/).join(' '), '9007199254740992 1.00 1.00 1');
    assert.equal(row(text, '9007199254740993')?.trim().split(/\s+/).join(' '), '9007199254740993 3.00 3.00 2');
    assert.ok(text.indexOf('9007199254740992 ') < text.indexOf('9007199254740993 '));
  });

  test('batch beyond 2**53 stays exact in the by-batch table; stage starts beyond 2**53 stay distinct (front/back)', async () => {
    const text = await report(
      'batch',
      lossless('9007199254740992:1', '18446744073709551617') + lossless('9007199254740993:1', '18446744073709551616', '100.00', '25.00'),
    );
    assert.ok(row(text, 'tx', '18446744073709551616'), text);
    assert.ok(row(text, 'tx', '18446744073709551617'));
    // Two distinct starts: the first half (one) is front, the other back.
    assert.equal(row(text, 'tx', '9007199254740992:1')?.trim().split(/\s+/)[2], 'front');
    assert.equal(row(text, 'tx', '9007199254740993:1')?.trim().split(/\s+/)[2], 'back');
    assert.equal(row(text, 'tx', 'back')?.trim().split(/\s+/).slice(2).join(' '), '0.25 0.50 100.00 25.00 1');
  });

  test('a real U+FFFD is kept; undecodable bytes are dropped (also a UTF-8 sequence cut short)', async () => {
    const client = Buffer.concat([
      Buffer.from(lossless('0:20', '8')),
      Buffer.from(lossless('0:20\uFFFD', '8')), // EF BF BD: a character Python keeps
      Buffer.from(lossless('2', '8').replace('stage=2', 'stage=2\xff0:40'), 'latin1'), // 0xFF: dropped -> "20:40"
      Buffer.from(lossless('40:60', '8').replace('stage=40', 'stage=4\xe2\x820'), 'latin1'), // E2 82 without its last byte: dropped
    ]);
    const text = await report('fffd', client);
    assert.equal(row(text, 'tx', '0:20')?.trim().split(/\s+/).at(-1), '1', 'the U+FFFD stage is not merged into 0:20');
    assert.equal(row(text, 'tx', '0:20\uFFFD')?.trim().split(/\s+/).at(-1), '1');
    assert.ok(row(text, 'tx', '20:40'));
    assert.ok(row(text, 'tx', '40:60'));
    assert.ok(text.indexOf(' 0:20 ') < text.indexOf(' 0:20\uFFFD ') && text.indexOf(' 0:20\uFFFD ') < text.indexOf(' 20:40 '), 'sorted by code point');
  });

  test('an undecodable byte inside a tag or a number: the line still counts, as Python drops the byte first', async () => {
    const client = Buffer.concat([
      Buffer.from('[STEP_LATENCY] Process=0 | Step=0 | Latency=10.00ms\n'),
      Buffer.from('[STEP_\xffLATENCY] Process=0 | Step=1 | Latency=2\xc30.00ms\r\n', 'latin1'),
      Buffer.from('[STEP_LATENCY] Process=0 | Step=2 | Latency=30.00ms'),
    ]);
    const text = await report('tag', client);
    assert.equal(row(text, 'step_latency_ms')?.trim().split(/\s+/).slice(1).join(' '), '20.00 20.00 3');
  });

  test('trade-off CSV keeps the spec integers exact too (already so) and reads U+FFFD logs', async () => {
    writeFileSync(join(tmp, 't-c.log'), lossless('0:20\uFFFD', '8'));
    writeFileSync(join(tmp, 't-s.log'), '');
    const row = await collectCaseMetrics(
      parseCaseSpec(`name=a,client=${join(tmp, 't-c.log')},server1=${join(tmp, 't-s.log')},server2=${join(tmp, 't-s.log')},batch=18446744073709551617`),
    );
    assert.equal(row.batch, 18446744073709551617n);
    assert.equal(row.tx_wire_over_raw, 0.5);
  });
});
