import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suggestHostName } from '../../../src/core/hosts/suggestName';

test('Add Host proposes a DNS name’s first label, an IP address whole, localhost for loopback', () => {
  assert.equal(suggestHostName('gpu1.lab.example.org'), 'gpu1');
  assert.equal(suggestHostName('10.0.0.5'), '10.0.0.5');
  assert.equal(suggestHostName('127.0.0.1'), 'localhost');
  assert.equal(suggestHostName('LocalHost'), 'localhost');
  assert.equal(suggestHostName('lab-gpu'), 'lab-gpu');
});
