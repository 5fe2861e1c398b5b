// `airlock analyze tradeoff`: the 28 CSV columns in order with Python's float repr (values recomputed
// independently with CPython: sum/len means, top-2 spans, wire/raw only where raw > 0), the report,
// and the --case parsing rules of analyze_tradeoff_matrix.py.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle } from '../../support/cliBundle';
import { parseCaseSpec, tradeoffColumns } from '../../../src/core/analysis/tradeoff';

const c000 = 'test/fixtures/sweep/bloombee/case_000';
const synA = 'test/fixtures/sweep/synthetic_a';
const spec = (name: string, dir: string, extra: string) =>
  `name=${name},client=${dir}/inference.log,server1=${dir}/server1.log,server2=${dir}/server2.log${extra}`;

describe('analyze tradeoff', () => {
  test('CSV: 28 columns in the original order, CRLF, ints as ints, floats as Python repr; report with baseline deltas', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'airlock-trade-'));
    try {
      const csv = join(tmp, 'new', 'dir', 'tradeoff_matrix.csv');
      const r = spawnSync(
        process.execPath,
        [
          cliBundle(),
          'analyze',
          'tradeoff',
          '--case',
          spec('case000_long_name_truncated_here', c000, ',compression=0,offload=1,batch=84,seq=512'),
          '--case',
          ` name = synth , client=./${synA}/inference.log,server1=${synA}/server1.log,server2=${synA}//server2.log,compression=1,batch_size=24`,
          '--baseline',
          'synth',
          '--output-csv',
          csv,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      const lines = readFileSync(csv, 'utf8').split('\r\n');
      assert.equal(lines[0], tradeoffColumns.join(','));
      assert.equal(tradeoffColumns.length, 28);
      assert.equal(
        lines[1],
        'case000_long_name_truncated_here,0,1,84,512,97.0,94.0,0.35000000000000003,31.099999999999998,32.6,2688.62,2688.62,1.0,1.0,0.0,0.0,0.999812,0.99979,30.8,31.2,30.8,13.300000000000002,48.699999999999996,96.90721649484536,0.36082474226804123,' +
          `${c000}/inference.log,${c000}/server1.log,${c000}/server2.log`,
      );
      assert.equal(
        lines[2],
        'synth,1,0,24,0,99.97,58.785000000000004,0.34166666666666673,31.40833333333333,32.68166666666667,1453.6825,1446.0275,0.8267299107142857,0.8790302579365079,0.4375,0.33749999999999997,0.7404529999999999,0.7349475,30.425,31.0625,30.85,13.5,48.4125,58.80264079223767,0.3417691974258945,' +
          `${synA}/inference.log,${synA}/server1.log,${synA}/server2.log`,
        'paths printed as Python prints a Path; offload and seq default to 0',
      );
      assert.equal(lines[3], '');
      const out = r.stdout.split('\n');
      assert.equal(out[1], 'Compression/Offload Trade-off Matrix');
      assert.equal(
        out[5],
        'case000_long_name_trunca    0    1     84    512      97.00      94.00       0.35    2688.62    2688.62      1.00      1.00      0.00      0.00    96.91     0.36',
      );
      assert.equal(
        out[6],
        'synth                       1    0     24      0      99.97      58.79       0.34    1453.68    1446.03      0.83      0.88      0.44      0.34    58.80     0.34',
      );
      assert.equal(out[9], 'Relative Delta vs baseline=synth');
      assert.equal(out[13], 'case000_long_name_trunca      -2.97      59.90       2.44      84.95      85.93        20.96        13.76');
      assert.equal(out[16], 'Interpretation: negative d_step%/d_net%/d_queue% is better (latency reduced).');
      assert.equal(out[17], `Saved CSV: ${csv}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('an unknown baseline falls back to the first case; no --output-csv prints no "Saved CSV"', () => {
    const r = spawnSync(process.execPath, [cliBundle(), 'analyze', 'tradeoff', '--case', spec('a', c000, ''), '--baseline', 'nope'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Relative Delta vs baseline=a\n/);
    assert.doesNotMatch(r.stdout, /Saved CSV/);
  });

  test('--case parsing: split on commas then the first "=", strip, later keys win; required keys and ints checked', () => {
    const c = parseCaseSpec(' name=x=y , client=a,server1=b,,server2=c , name = z ');
    assert.deepEqual(
      [...c],
      [
        ['name', 'z'],
        ['client', 'a'],
        ['server1', 'b'],
        ['server2', 'c'],
      ],
    );
    assert.throws(() => parseCaseSpec('name=a,client'), /Invalid --case token: 'client', expected key=value/);
    assert.throws(() => parseCaseSpec('name=a,client=b'), /--case missing required keys: \['server1', 'server2'\]/);
    const bad = spawnSync(process.execPath, [cliBundle(), 'analyze', 'tradeoff', '--case', spec('a', c000, ',batch=1.5')], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /batch=1\.5 is not an integer/);
    const none = spawnSync(process.execPath, [cliBundle(), 'analyze', 'tradeoff'], { encoding: 'utf8' });
    assert.equal(none.status, 2);
  });
});
