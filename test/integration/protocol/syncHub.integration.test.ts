// The real @huggingface/hub client against the fake Hub (hubUrl): a private repo made on first
// upload, LFS basic and multipart uploads, the remote sha256, downloads resumed with Range, and
// the Hub's failures — 401/403 said at once, 429 waited out (Retry-After), 5xx and an upload cut
// halfway retried without a duplicate commit.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HubApi } from '../../../src/core/hfhub/hubClient';
import { startFakeHfHub, type FakeHfHub } from '../../support/fakeHfHub/server';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('Hugging Face Hub client against the fake Hub', { timeout: 120_000 }, () => {
  let hub: FakeHfHub;
  let dir: string;
  const token = 'hf_writeTokenForTests';
  before(async () => {
    hub = await startFakeHfHub({ multipartAbove: 3 * 1024 * 1024, chunkSize: 1024 * 1024 });
    hub.addToken(token, 'alice');
    hub.addToken('hf_readOnly', 'alice', 'read');
    dir = mkdtempSync(join(tmpdir(), 'airlock-hub-'));
  });
  after(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const api = (t = token) => new HubApi({ accessToken: t, hubUrl: hub.hubUrl, retryDelayMs: 20 });

  test('creates a private repo, uploads basic and multipart LFS files, reports their sha256', async () => {
    await api().ensureRepo('alice/ckpts');
    assert.equal(hub.repo('model', 'alice/ckpts')?.private, true);
    const small = randomBytes(200_000);
    const big = randomBytes(3 * 1024 * 1024 + 12345);
    writeFileSync(join(dir, 'a.pt'), small);
    writeFileSync(join(dir, 'b.pt'), big);
    await api().uploadFile('alice/ckpts', join(dir, 'a.pt'), 'run/a.pt');
    let last = 0;
    await api().uploadFile('alice/ckpts', join(dir, 'b.pt'), 'run/b.pt', { onProgress: (f) => (last = f) });
    assert.equal(last, 1);
    assert.ok(
      hub.requests.some((r) => r.path.includes('/lfs/part/')),
      'the big file went multipart',
    );
    assert.equal((await api().entry('alice/ckpts', 'run/a.pt'))?.sha256, sha(small));
    assert.equal((await api().entry('alice/ckpts', 'run/b.pt'))?.sha256, sha(big));
    assert.equal(await api().entry('alice/ckpts', 'run/none.pt'), undefined);
    const got = await api().download('alice/ckpts', 'run/b.pt', join(dir, 'b.back'));
    assert.equal(got.sha256, sha(big));
    assert.deepEqual(readFileSync(join(dir, 'b.back')), big);
  });

  test('a download resumes its .part with a Range request', async () => {
    const body = randomBytes(2_000_000);
    writeFileSync(join(dir, 'c.pt'), body);
    await api().uploadFile('alice/ckpts', join(dir, 'c.pt'), 'c.pt');
    writeFileSync(join(dir, 'c.back.part'), body.subarray(0, 700_000));
    const got = await api().download('alice/ckpts', 'c.pt', join(dir, 'c.back'));
    assert.equal(got.sha256, sha(body));
    assert.equal(got.bytes, body.length - 700_000);
    assert.ok(hub.requests.some((r) => r.range?.startsWith('bytes=700000-')));
  });

  test('401 and 403 fail at once with what to do; 429 and 5xx are retried', async () => {
    await assert.rejects(api('hf_unknown').ensureRepo('alice/x'), /401.*HF_TOKEN/);
    writeFileSync(join(dir, 'd.pt'), randomBytes(1000));
    await assert.rejects(api('hf_readOnly').uploadFile('alice/ckpts', join(dir, 'd.pt'), 'd.pt'), /403/);
    hub.fail(429, { on: 'preupload', retryAfterSec: 1 });
    hub.fail(503, { on: 'commit' });
    const before = hub.repo('model', 'alice/ckpts')!.commits.length;
    await api().uploadFile('alice/ckpts', join(dir, 'd.pt'), 'd.pt');
    assert.equal(hub.repo('model', 'alice/ckpts')!.commits.length, before + 1);
  });

  test('an upload cut halfway is retried and the object arrives whole', async () => {
    const body = randomBytes(1_500_000);
    writeFileSync(join(dir, 'e.pt'), body);
    hub.interruptUpload(500_000);
    await api().uploadFile('alice/ckpts', join(dir, 'e.pt'), 'e.pt');
    assert.equal((await api().entry('alice/ckpts', 'e.pt'))?.sha256, sha(body));
  });
});
