// The hand-written fast paths of the streaming analysis against the definitions they replace, on
// generated lines mutated at random (seeded): the pattern matcher against the regexes, the named
// value scanner against re.finditer's regex, float parsing against Number(), the running exact
// mean against the BigInt sum, and the reader's decoding against TextDecoder + Python's rule.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCaseLogs } from '../../../bench/logGen';
import * as patterns from '../../../src/core/analysis/logPatterns';
import { LineMatcher } from '../../../src/core/analysis/lineMatcher';
import { pyFloat } from '../../../src/core/analysis/pyFloat';
import { ExactSum, median } from '../../../src/core/analysis/pyStats';
import { decodeIgnoringErrors } from '../../../src/core/analysis/logText';
import { exactMean as oldExactMean, median as oldMedian } from '../../support/analysisOracle/pyStats';
import { extractNamedValues as oldExtract } from '../../support/analysisOracle/logPatterns';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sampleLines(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-parts-'));
  try {
    const f = generateCaseLogs(dir, { bytesPerLog: 60_000, seed: 5 });
    return [f.client, f.server1, f.server2]
      .flatMap((p) => readFileSync(p, 'latin1').split('\n'))
      .concat(
        readFileSync('test/fixtures/sweep/synthetic_a/inference.log', 'utf8').split(/\r?\n/),
        readFileSync('test/fixtures/sweep/synthetic_a/server1.log', 'utf8').split(/\r?\n/),
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each line, and copies with one random edit: a char from the patterns' alphabet inserted, deleted or replaced. */
function mutated(lines: string[], seed: number): string[] {
  const r = rng(seed);
  const alphabet = ['-', '.', ' ', '=', 'x', '9', '0', 'ms', 'KB', '|', '\t', '\u00a0', '\uFFFD', ':', '_'];
  const out = [...lines];
  for (const l of lines) {
    for (let k = 0; k < 4; k++) {
      const at = Math.floor(r() * (l.length + 1));
      const ch = alphabet[Math.floor(r() * alphabet.length)]!;
      const op = Math.floor(r() * 3);
      out.push(l.slice(0, at) + (op === 1 ? '' : ch) + l.slice(op === 0 ? at : at + 1));
    }
  }
  return out;
}

const lines = mutated(sampleLines(), 7);

describe('streaming analysis building blocks', () => {
  test('LineMatcher = the regex: same match and the same groups, for every log pattern', () => {
    const regexes = Object.entries(patterns).filter((e): e is [string, RegExp] => e[1] instanceof RegExp);
    assert.ok(regexes.length >= 10);
    let matched = 0;
    for (const [name, re] of regexes) {
      const m = new LineMatcher(re);
      for (const line of lines) {
        const want = re.exec(line);
        assert.equal(m.match(line), !!want, `${name}: ${line}`);
        if (!want) continue;
        matched++;
        for (const [g, v] of Object.entries(want.groups!)) assert.equal(m.text(line, g), v, `${name}.${g}: ${line}`);
      }
    }
    assert.ok(matched > 1000, `enough lines matched (${matched})`);
  });

  test('extractNamedValues = re.finditer semantics (consumed units, failed keys, last one wins, errors)', () => {
    const keys = new Set(['raw', 'wire', 'ratio', 'compress', 'lossless_rx_base', 'lossless_tx_ratio', 'queue_wait_pre', 'a', 'x9']);
    const extra = ['a=1msa=2', 'a=1mxa=2', 'xa=1 a=-', 'a==1 a=-.5KBa=3', 'a=1.2.3', '=1 a=2', 'a=-x a=4ms', 'x9=1KBx9=2ms'];
    for (const line of [...lines, ...extra]) {
      const run = (f: typeof oldExtract) => {
        try {
          return [...f(line, keys)];
        } catch (e) {
          return (e as Error).message;
        }
      };
      assert.deepEqual(run(patterns.extractNamedValues), run(oldExtract), line);
    }
  });

  test('pyFloat = Number() on its fast path and Python ValueError otherwise', () => {
    const r = rng(3);
    const tokens = [
      '0',
      '-0',
      '-0.00',
      '.5',
      '5.',
      '00012.50',
      '1.005',
      '9007199254740993',
      '123456789012345.6',
      '0.1234567890123456789012',
      '1e5',
      '.',
      '',
      '-',
      '1.2.3',
      '+1',
      '17976931348623157' + '0'.repeat(292),
    ];
    for (let i = 0; i < 20000; i++) {
      const int = Math.floor(r() * 10 ** Math.floor(r() * 16)).toString();
      const frac = Math.floor(r() * 10 ** Math.floor(r() * 8))
        .toString()
        .padStart(Math.floor(r() * 9), '0');
      tokens.push(`${r() < 0.2 ? '-' : ''}${int}${r() < 0.8 ? `.${frac}` : ''}`);
    }
    for (const t of tokens) {
      const valid = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t);
      if (!valid) assert.throws(() => pyFloat(t), /could not convert string to float/, t);
      else assert.ok(Object.is(pyFloat(t), Number(t)), t);
    }
  });

  test('ExactSum.mean = statistics.mean by exact BigInt sum; median keeps -0.0/0.0 in list order', () => {
    const r = rng(9);
    for (let n = 0; n < 300; n++) {
      const xs = Array.from({ length: 1 + Math.floor(r() * 50) }, () => (r() < 0.1 ? -0 : (r() - 0.3) * 10 ** Math.floor(r() * 30 - 10)));
      if (n % 50 === 0) xs.push(1e300, -1e300, Infinity);
      const s = new ExactSum();
      xs.forEach((x) => s.add(x));
      assert.ok(Object.is(s.mean(), oldExactMean(xs)), JSON.stringify(xs));
      assert.ok(Object.is(median(xs), oldMedian(xs)));
    }
    assert.ok(Object.is(median([0, -0]), 0 / 2) && Object.is(median([-0, 1, 0]), oldMedian([-0, 1, 0])));
  });

  test('decodeIgnoringErrors = TextDecoder with the replacement characters it inserted removed, real U+FFFD kept', () => {
    const r = rng(4);
    for (let n = 0; n < 2000; n++) {
      const parts: Buffer[] = [];
      let hasReal = false;
      for (let k = 0; k < 8; k++) {
        const x = r();
        if (x < 0.2) parts.push(Buffer.from([Math.floor(r() * 256)]));
        else if (x < 0.3) {
          parts.push(Buffer.from('\uFFFD'));
          hasReal = true;
        } else parts.push(Buffer.from(['a', 'é', '€', '😀', '\0', ' '][Math.floor(r() * 6)]!));
      }
      const bytes = Buffer.concat(parts);
      const got = decodeIgnoringErrors(bytes);
      if (!hasReal) assert.equal(got, new TextDecoder().decode(bytes).replace(/\uFFFD/g, ''), bytes.toString('hex'));
      // Re-encoding what we decoded and decoding again changes nothing (only valid text is left).
      assert.equal(decodeIgnoringErrors(Buffer.from(got)), got);
    }
    assert.equal(decodeIgnoringErrors(Buffer.from([0x61, 0xef, 0xbf, 0xbd, 0xff, 0x62, 0xe2, 0x82])), 'a\uFFFDb');
  });
});
