// Python's number formatting and averaging, checked against values CPython 3.11 printed for the same
// inputs (f"{x:.2f}", repr, statistics.mean/median, sum/len). These decide every digit we print.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, pyFloat, pyFloatRepr, pyIntText } from '../../../src/core/analysis/pyFloat';
import { exactMean, median, pearson, ratioToDouble, sumMean } from '../../../src/core/analysis/pyStats';

// [repr(x), f"{x:.2f}", f"{x:.4f}", f"{x:.0f}"] from CPython.
const fixed: [string, string, string, string][] = [
  ['0.125', '0.12', '0.1250', '0'],
  ['0.375', '0.38', '0.3750', '0'],
  ['2.675', '2.67', '2.6750', '3'],
  ['1.005', '1.00', '1.0050', '1'],
  ['-0.0', '-0.00', '-0.0000', '-0'],
  ['-0.004', '-0.00', '-0.0040', '-0'],
  ['1e+22', '10000000000000000000000.00', '10000000000000000000000.0000', '10000000000000000000000'],
  ['123456789.125', '123456789.12', '123456789.1250', '123456789'],
  ['5e-324', '0.00', '0.0000', '0'],
  ['0.5', '0.50', '0.5000', '0'],
  ['1.5', '1.50', '1.5000', '2'],
  ['2.5', '2.50', '2.5000', '2'],
  ['-2.5', '-2.50', '-2.5000', '-2'],
  ['97.00000000000001', '97.00', '97.0000', '97'],
  ['0.3333333333333333', '0.33', '0.3333', '0'],
  ['0.6666666666666666', '0.67', '0.6667', '1'],
  ['1e-07', '0.00', '0.0000', '0'],
  ['99.995', '100.00', '99.9950', '100'],
  ['1234.5678', '1234.57', '1234.5678', '1235'],
  ['0.015', '0.01', '0.0150', '0'],
  ['0.025', '0.03', '0.0250', '0'],
  ['-1.005', '-1.00', '-1.0050', '-1'],
  ['1.1805916207174113e+21', '1180591620717411303424.00', '1180591620717411303424.0000', '1180591620717411303424'],
];

// [float.hex() value as a JS expression, repr(x)] from CPython.
const reprs: [number, string][] = [
  [0.1 + 0.2, '0.30000000000000004'],
  [1e16, '1e+16'],
  [1e15, '1000000000000000.0'],
  [1e-5, '1e-05'],
  [1e-4, '0.0001'],
  [123, '123.0'],
  [1.5e300, '1.5e+300'],
  [5e-324, '5e-324'],
  [2 ** 60, '1.152921504606847e+18'],
  [1 / 3, '0.3333333333333333'],
  [3, '3.0'],
  [0, '0.0'],
  [-0, '-0.0'],
  [100, '100.0'],
  [1e21, '1e+21'],
  [1e22, '1e+22'],
  [Number('12345678901234567'), '1.2345678901234568e+16'],
  [2688.62, '2688.62'],
  [-1.4000000000000057, '-1.4000000000000057'],
  [0.30000000000000004 * 3, '0.9000000000000001'],
  [Infinity, 'inf'],
  [NaN, 'nan'],
];

// [inputs, statistics.mean, sum/len, statistics.median, f"{mean:.2f}"] from CPython 3.11.
const means: [string[], string, string, string, string][] = [
  [['0.1', '0.2', '0.3'], '0.2', '0.20000000000000004', '0.2', '0.20'],
  [['1e+16', '1.0', '-1e+16'], '0.3333333333333333', '0.0', '1.0', '0.33'],
  [Array(10).fill('0.1'), '0.1', '0.09999999999999999', '0.1', '0.10'],
  [['1344.31', '1344.31', '1344.32'], '1344.3133333333333', '1344.3133333333333', '1344.31', '1344.31'],
  [['97.0', '96.5', '97.5'], '97.0', '97.0', '97.0', '97.00'],
  [['0.0001', '0.0002', '0.0003', '0.0004'], '0.00025', '0.00025', '0.00025', '0.00'],
  [['3.3', '2.2', '1.1', '4.4', '5.5', '6.6', '7.7'], '4.4', '4.4', '4.4', '4.40'],
  [['2.675', '2.665'], '2.67', '2.67', '2.67', '2.67'],
  [['0.135', '0.145', '0.155'], '0.145', '0.14500000000000002', '0.145', '0.14'],
];

describe('Python number formatting', () => {
  test('f"{x:.Nf}" rounds half to even on the exact binary value and keeps the sign of zero', () => {
    for (const [r, f2, f4, f0] of fixed) {
      const x = Number(r);
      assert.equal(formatFixed(x, 2), f2, `${r}:.2f`);
      assert.equal(formatFixed(x, 4), f4, `${r}:.4f`);
      assert.equal(formatFixed(x, 0), f0, `${r}:.0f`);
      assert.equal(pyFloatRepr(x), r, `repr(${r})`);
    }
  });

  test('repr(float): shortest digits, ".0" on integers, exponent below 1e-4 and from 1e16', () => {
    for (const [x, r] of reprs) assert.equal(pyFloatRepr(x), r);
  });

  test('float() and int() of log tokens accept what Python accepts and refuse the rest', () => {
    assert.equal(pyFloat('1344.31'), 1344.31);
    assert.equal(pyFloat('.5'), 0.5);
    assert.equal(pyFloat('5.'), 5);
    assert.equal(Object.is(pyFloat('-0.00'), -0), true);
    assert.throws(() => pyFloat('1.2.3'), /could not convert string to float: '1.2.3'/);
    assert.throws(() => pyFloat('.'), /could not convert/);
    assert.equal(pyIntText(' 12 '), 12n);
    assert.equal(pyIntText('1_000'), 1000n);
    assert.equal(pyIntText('+7'), 7n);
    assert.equal(pyIntText('1.0'), undefined);
    assert.equal(pyIntText('12345678901234567890'), 12345678901234567890n);
  });
});

describe('Python averages', () => {
  test('statistics.mean is exact (rounded once), sum/len is left-to-right, median averages the middle pair', () => {
    for (const [xs, mean, naive, med, f2] of means) {
      const v = xs.map(Number);
      assert.equal(pyFloatRepr(exactMean(v)), mean, `mean(${xs})`);
      assert.equal(pyFloatRepr(sumMean(v)), naive, `sum/len(${xs})`);
      assert.equal(pyFloatRepr(median(v)), med, `median(${xs})`);
      assert.equal(formatFixed(exactMean(v), 2), f2);
    }
    assert.equal(exactMean([]), 0);
    assert.equal(median([]), 0);
    assert.equal(Object.is(exactMean([-0]), 0), true, 'statistics.mean([-0.0]) is 0.0');
    assert.equal(Object.is(median([-0]), -0), true, 'statistics.median([-0.0]) is -0.0');
  });

  test('rational to double rounds to nearest, ties to even, subnormals included', () => {
    assert.equal(ratioToDouble(1n, 3n), 1 / 3);
    assert.equal(ratioToDouble(-1n, 3n), -1 / 3);
    assert.equal(ratioToDouble((1n << 53n) + 1n, 1n), 2 ** 53, 'tie goes to even');
    assert.equal(ratioToDouble((1n << 53n) + 3n, 1n), 2 ** 53 + 4, 'tie goes to even (up)');
    assert.equal(ratioToDouble(1n, 1n << 1074n), 5e-324);
    assert.equal(ratioToDouble(1n, 1n << 1076n), 0, 'below half the smallest subnormal');
    assert.equal(ratioToDouble(1n << 1100n, 1n), Infinity);
  });

  test('pearson: 0 below two points or without variance; exact on a line', () => {
    assert.equal(pearson([1], [2]), 0);
    assert.equal(pearson([1, 1, 1], [1, 2, 3]), 0);
    assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1);
    assert.equal(pearson([1, 2, 3], [6, 4, 2]), -1);
  });
});
