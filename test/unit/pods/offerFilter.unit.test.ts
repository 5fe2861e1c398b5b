import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { matchesOfferFilter, OfferFilterError, parseOfferFilter } from '../../../src/core/pods/offerFilter';
import { selectOffers } from '../../../src/core/pods/offers';
import type { PodOffer } from '../../../src/core/pods/types';

const offer = (o: Partial<PodOffer>): PodOffer => ({
  provider: 'runpod',
  gpuTypeId: 'NVIDIA GeForce RTX 4090',
  gpuName: 'RTX 4090',
  vramGb: 24,
  gpuCount: 1,
  cloud: 'SECURE',
  spot: false,
  pricePerHour: 0.69,
  pricePerGpu: 0.69,
  stock: 'high',
  ...o,
});

function errorOf(expr: string): OfferFilterError {
  try {
    parseOfferFilter(expr);
  } catch (err) {
    assert.ok(err instanceof OfferFilterError, String(err));
    return err;
  }
  assert.fail(`"${expr}" parsed`);
}

describe('offer filter expressions', () => {
  test('the example from the issue', () => {
    const c = parseOfferFilter('vram>=24 & price<0.5 & name~4090');
    assert.deepEqual(
      c.map((x) => [x.field, x.op, x.value, x.column]),
      [
        ['vram', '>=', 24, 1],
        ['price', '<', 0.5, 12],
        ['name', '~', '4090', 24],
      ],
    );
    assert.equal(matchesOfferFilter(offer({ pricePerHour: 0.34, cloud: 'COMMUNITY' }), c), true);
    assert.equal(matchesOfferFilter(offer({}), c), false);
    assert.equal(matchesOfferFilter(offer({ gpuName: 'RTX 3090', gpuTypeId: 'NVIDIA GeForce RTX 3090', pricePerHour: 0.22 }), c), false);
  });

  test('the original broker spelling, spaces, &&, quotes, $ and GB', () => {
    const c = parseOfferFilter('vram_gb >= 16GB && price_per_hour < $0.5 & gpu_type.contains("4090")');
    assert.deepEqual(
      c.map((x) => [x.field, x.op, x.value]),
      [
        ['vram', '>=', 16],
        ['price', '<', 0.5],
        ['name', '~', '4090'],
      ],
    );
    assert.deepEqual(parseOfferFilter("name = 'RTX 4090'")[0]!.value, 'RTX 4090');
    assert.deepEqual(parseOfferFilter('   '), []);
  });

  test('cloud, spot (bare or =), stock ordering and != / !~', () => {
    const c = parseOfferFilter('cloud=secure & spot & stock>=medium & name!~3090');
    assert.equal(matchesOfferFilter(offer({ spot: true, stock: 'high' }), c), true);
    assert.equal(matchesOfferFilter(offer({ spot: true, stock: 'low' }), c), false);
    assert.equal(matchesOfferFilter(offer({ spot: false }), c), false);
    assert.equal(matchesOfferFilter(offer({ spot: true, cloud: 'COMMUNITY' }), c), false);
    assert.equal(matchesOfferFilter(offer({}), parseOfferFilter('spot=false & cloud!=community')), true);
    assert.equal(matchesOfferFilter(offer({}), parseOfferFilter('name=rtx 4090 & vram>=24')), true, 'a name runs to the next &');
    assert.equal(matchesOfferFilter(offer({}), parseOfferFilter('name="rtx 4090"')), true);
    assert.equal(matchesOfferFilter(offer({ pricePerHour: 0.1 + 0.2 }), parseOfferFilter('price<=0.3')), true, 'float noise');
  });

  test('errors point at the column', () => {
    const unknown = errorOf('vram>=24 & prise<0.5');
    assert.equal(unknown.column, 12);
    assert.match(unknown.message, /^bad filter at column 12: unknown field "prise" \(known: vram, price/);
    assert.ok(unknown.message.endsWith('\n  vram>=24 & prise<0.5\n             ^'));
    assert.equal(errorOf('vram>=lots').column, 7);
    assert.match(errorOf('vram>=lots').message, /"lots" is not a number/);
    assert.equal(errorOf('vram 24').column, 6);
    assert.match(errorOf('vram 24').message, /expected an operator after "vram"/);
    assert.match(errorOf('vram>=24 price<1').message, /column 10: expected "&" between clauses/);
    assert.match(errorOf('vram>=24 &').message, /column 11: expected a clause after "&"/);
    assert.match(errorOf('cloud=moon').message, /cloud is SECURE or COMMUNITY/);
    assert.match(errorOf('name>4090').message, /name takes =, !=, ~/);
    assert.match(errorOf('price~0.5').message, /"~" compares text/);
    assert.match(errorOf('name="4090').message, /column 6: unterminated quote/);
    assert.match(errorOf('spot=maybe').message, /spot is true or false/);
    assert.match(errorOf('stock>=plenty').message, /stock is one of none, low, medium, high/);
    assert.equal(errorOf('x').code, 'bad-input');
  });

  test('selectOffers drops out-of-stock offers and sorts cheapest first', () => {
    const offers = [
      offer({ gpuName: 'A', pricePerHour: 0.5 }),
      offer({ gpuName: 'B', pricePerHour: 0.2, stock: 'none' }),
      offer({ gpuName: 'C', pricePerHour: 0.3, vramGb: 48 }),
      offer({ gpuName: 'D', pricePerHour: 0.3, vramGb: 24 }),
    ];
    assert.deepEqual(
      selectOffers(offers).map((o) => o.gpuName),
      ['C', 'D', 'A'],
    );
    assert.deepEqual(
      selectOffers(offers, { includeUnavailable: true }).map((o) => o.gpuName),
      ['B', 'C', 'D', 'A'],
    );
    assert.deepEqual(
      selectOffers(offers, { minVramGb: 48 }).map((o) => o.gpuName),
      ['C'],
    );
    assert.deepEqual(
      selectOffers(offers, { clauses: parseOfferFilter('price<0.4') }).map((o) => o.gpuName),
      ['C', 'D'],
    );
  });
});
