import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAirlockEnv, encodeAirlockEnv, matchesMetadata, parseMetadataPairs, podNameWithPrefix } from '../../../src/core/pods/metadata';
import { PodError } from '../../../src/core/pods/errors';

describe('pod metadata encoding', () => {
  test('round-trips through env lines; other variables (secrets) are ignored', () => {
    const env = encodeAirlockEnv({ experiment: 'gsm8k_pilot', worker_id: 'w=1' }, 'cid-1');
    assert.deepEqual(env, { AIRLOCK_MANAGED: '1', AIRLOCK_CREATE_ID: 'cid-1', AIRLOCK_META_experiment: 'gsm8k_pilot', AIRLOCK_META_worker_id: 'w=1' });
    const lines = [...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'JUPYTER_PASSWORD=s3cret', 'PATH=/usr/bin', 'garbage'];
    assert.deepEqual(decodeAirlockEnv(lines), { managed: true, createId: 'cid-1', metadata: { experiment: 'gsm8k_pilot', worker_id: 'w=1' } });
    assert.deepEqual(decodeAirlockEnv(['JUPYTER_PASSWORD=x']), { managed: false, metadata: {} });
  });

  test('keys must be identifiers, values one line', () => {
    assert.throws(
      () => encodeAirlockEnv({ 'my-key': 'x' }, 'c'),
      (e: unknown) => e instanceof PodError && e.code === 'bad-input' && /metadata key "my-key"/.test(e.message),
    );
    assert.throws(() => encodeAirlockEnv({ k: 'a\nb' }, 'c'), /one line/);
    assert.throws(() => encodeAirlockEnv({ k: 'x'.repeat(257) }, 'c'), /at most 256/);
  });

  test('filters: k=v, bare k, all must match', () => {
    const f = parseMetadataPairs(['experiment=gsm8k', 'owner']);
    assert.deepEqual(f, { experiment: 'gsm8k', owner: undefined });
    assert.equal(matchesMetadata({ experiment: 'gsm8k', owner: 'neel' }, f), true);
    assert.equal(matchesMetadata({ experiment: 'gsm8k' }, f), false);
    assert.equal(matchesMetadata({ experiment: 'other', owner: 'neel' }, f), false);
    assert.equal(matchesMetadata({}, {}), true);
    assert.deepEqual(parseMetadataPairs(['k=a=b']), { k: 'a=b' });
    assert.throws(() => parseMetadataPairs(['=x']), /not key=value/);
  });

  test('names get the airlock- prefix once', () => {
    assert.equal(podNameWithPrefix('exp1'), 'airlock-exp1');
    assert.equal(podNameWithPrefix('airlock-exp1'), 'airlock-exp1');
  });
});
