// The real @googleapis/drive client and google-auth-library against the fake Drive v3: service-
// account JWT and OAuth loopback sign-in, folders by path, multipart and resumable uploads (also
// cut off mid-body), paging, downloads, and each failure users meet with its message.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DriveApi, colabMime } from '../../../src/core/colab/driveClient';
import { signInWithLoopback, type DriveCredentials } from '../../../src/core/colab/driveAuth';
import { startFakeDrive, type FakeDrive } from '../../support/fakeDrive/server';

describe('Drive client against the fake Drive', { timeout: 60_000 }, () => {
  let fake: FakeDrive;
  let sa: DriveCredentials;
  const open = (credentials = sa) => DriveApi.open({ credentials, rootUrl: fake.rootUrl, retryDelayMs: 5 });
  before(async () => {
    fake = await startFakeDrive();
    sa = { kind: 'service-account', keyJson: fake.oauth.serviceAccountKey() };
  });
  after(async () => {
    await fake?.close();
  });

  test('a service account creates a folder path, uploads a notebook and reads it back', async () => {
    const drive = await open();
    const folder = await drive.folderByPath("Airlock/runs/it's-1", { create: true });
    assert.equal((await drive.folderByPath("Airlock/runs/it's-1"))?.id, folder!.id, 'found again, not created twice');
    const nb = '{"cells": [], "nbformat": 4}\n';
    const f = await drive.upload({ parentId: folder!.id, name: 'train.ipynb', mimeType: colabMime, body: nb });
    assert.equal(f.mimeType, colabMime);
    assert.equal(f.size, nb.length);
    assert.deepEqual(fake.store.get(f.id)?.parents, [folder!.id]);
    assert.equal((await drive.findChild(folder!.id, 'train.ipynb'))?.id, f.id);
    assert.equal((await drive.download(f.id)).toString(), nb);
    const upload = fake.requests.find((r) => r.path === '/upload/drive/v3/files');
    assert.equal(upload?.query.uploadType, 'multipart');
    assert.match(
      fake.requests.find((r) => r.query.q?.includes('runs'))!.query.q!,
      /^name = 'runs' and '[^']+' in parents and trashed = false and mimeType = 'application\/vnd\.google-apps\.folder'$/,
    );
  });

  test('a partial download asks Drive for the bytes from an offset (206), and past the end gets none (416)', async () => {
    const drive = await open();
    const log = fake.store.writeByPath('Airlock/runs/tail-1/airlock_output.log', 'step 1\nstep 2\n', 'text/plain');
    assert.equal((await drive.downloadFrom(log.id, 0)).toString(), 'step 1\nstep 2\n');
    assert.equal((await drive.downloadFrom(log.id, 7)).toString(), 'step 2\n');
    assert.equal((await drive.downloadFrom(log.id, 14)).length, 0, 'nothing new: 416, not an error');
    fake.store.appendByPath('Airlock/runs/tail-1/airlock_output.log', 'step 3\n');
    assert.equal((await drive.downloadFrom(log.id, 14)).toString(), 'step 3\n');
    assert.deepEqual(
      fake.requests.filter((r) => r.range).map((r) => r.range),
      ['bytes=0-', 'bytes=7-', 'bytes=14-', 'bytes=14-'],
      'only the new bytes travel',
    );
  });

  test('a resumable upload survives a connection cut mid-body and resumes where Drive stopped', async () => {
    const drive = await open();
    const folder = await drive.folderByPath('Airlock/big', { create: true });
    const body = Buffer.from(Array.from({ length: 1024 * 1024 + 17 }, (_, i) => i % 251));
    fake.interruptUpload(300_000);
    const progress: number[] = [];
    const f = await drive.upload({
      parentId: folder!.id,
      name: 'weights.bin',
      mimeType: 'application/octet-stream',
      body,
      resumable: true,
      chunkSize: 256 * 1024,
      onProgress: (s) => progress.push(s),
    });
    assert.ok(Buffer.from(fake.store.get(f.id)!.content!).equals(body), 'byte-identical');
    assert.ok(
      fake.requests.some((r) => r.method === 'PUT'),
      'chunks were PUT',
    );
    assert.equal(progress.at(-1), body.length);
    assert.equal(fake.store.children(folder!.id).length, 1);
  });

  test('a multipart upload cut off is retried without leaving a duplicate', async () => {
    const drive = await open();
    const folder = await drive.folderByPath('Airlock/cut', { create: true });
    fake.interruptUpload(100);
    await drive.upload({ parentId: folder!.id, name: 'nb.ipynb', mimeType: colabMime, body: 'x'.repeat(5000) });
    assert.deepEqual(
      fake.store.children(folder!.id).map((f) => f.name),
      ['nb.ipynb'],
    );
  });

  test('listing pages through a large folder; downloads of a Google Doc are refused clearly', async () => {
    const drive = await open();
    const folder = await drive.folderByPath('Airlock/many', { create: true });
    for (let i = 0; i < 230; i++)
      fake.store.create({ name: `f${String(i).padStart(3, '0')}.json`, mimeType: 'application/json', parents: [folder!.id], content: Buffer.from('{}') });
    const files = await drive.list(folder!.id);
    assert.equal(files.length, 230);
    assert.equal(fake.requests.filter((r) => r.query.pageToken).length, 1, 'two pages');
    const doc = fake.store.create({ name: 'notes', mimeType: 'application/vnd.google-apps.document', parents: [folder!.id] });
    await assert.rejects(drive.download(doc.id, 'notes'), /no permission on Google Drive while downloading notes \(fileNotDownloadable\)/);
  });

  test('5xx and rate limits are retried; a persistent 5xx gives up with a clear message', async () => {
    const drive = await open();
    fake.fail(503, { times: 2, on: 'list' });
    fake.fail(403, { times: 1, on: 'list', reason: 'userRateLimitExceeded' });
    assert.ok(await drive.folderByPath('Airlock'));
    fake.fail(500, { times: 50, on: 'list' });
    const tight = await DriveApi.open({ credentials: sa, rootUrl: fake.rootUrl, retryDelayMs: 1, retries: 2 });
    await assert.rejects(
      tight.folderByPath('Airlock'),
      /Google Drive failed while looking for "Airlock" \(HTTP 500 backendError\) after 3 attempts — a problem on Google's side/,
    );
    fake.clearFaults();
  });

  test('401, 403 and 404 each say what to do; no token or key in any message', async () => {
    const drive = await open();
    fake.fail(401, { times: 5, on: 'list' });
    await assert.rejects(
      drive.folderByPath('Airlock'),
      (e: Error) => /refused the access token while looking for "Airlock" \(HTTP 401\) — sign in again/.test(e.message) && !/ya29|PRIVATE/.test(e.message),
    );
    fake.clearFaults();
    const folder = await drive.folderByPath('Airlock');
    fake.fail(403, { on: 'upload', reason: 'storageQuotaExceeded' });
    await assert.rejects(
      drive.upload({ parentId: folder!.id, name: 'a.ipynb', mimeType: colabMime, body: '{}' }),
      /Google Drive is full while uploading a\.ipynb/,
    );
    fake.fail(403, { on: 'create', times: 2 }); // the auth client retries a 401/403 once with a fresh token
    await assert.rejects(
      drive.createFolder(folder!.id, 'x'),
      /no permission on Google Drive while creating folder "x" \(insufficientPermissions\) — share the folder/,
    );
    await assert.rejects(drive.download('1doesNotExist'), /not found on Google Drive while downloading/);
  });

  test('a key Google does not know, and a revoked key, are reported as credential problems', async () => {
    const other = await startFakeDrive();
    const stranger: DriveCredentials = {
      kind: 'service-account',
      keyJson: other.oauth.serviceAccountKey('stranger@elsewhere.iam.gserviceaccount.com').replace(other.tokenUrl, fake.tokenUrl),
    };
    await other.close();
    await assert.rejects(
      (await open(stranger)).folderByPath('Airlock'),
      /Google refused Airlock's credentials while looking for "Airlock" \(Invalid grant: account not found\)/,
    );
    await assert.rejects(open({ kind: 'service-account', keyJson: '{"type": "authorized_user"}' }), /not a service-account JSON key/);
  });

  test('OAuth: loopback sign-in with PKCE gives a refresh token that works; a denied consent is an error', async () => {
    const client = fake.oauth.oauthClient();
    let shown = '';
    const tokens = await signInWithLoopback({
      ...client,
      tokenUrl: fake.tokenUrl,
      authUrl: fake.authUrl,
      openUrl: async (url) => {
        shown = url;
        await fetch(url); // the "browser": consent, then the redirect to Airlock's loopback listener
      },
    });
    assert.match(shown, /code_challenge_method=S256/);
    assert.match(shown, /access_type=offline/);
    const drive = await DriveApi.open({
      credentials: { kind: 'oauth', ...client, refreshToken: tokens.refreshToken },
      rootUrl: fake.rootUrl,
      tokenUrl: fake.tokenUrl,
    });
    assert.ok(await drive.folderByPath('Airlock/oauth', { create: true }));
    fake.oauth.consent = 'deny';
    await assert.rejects(
      signInWithLoopback({ ...client, tokenUrl: fake.tokenUrl, authUrl: fake.authUrl, openUrl: (url) => void fetch(url) }),
      /did not grant access \(access_denied\)/,
    );
    fake.oauth.consent = 'allow';
    fake.oauth.revokeAll();
    await assert.rejects(drive.folderByPath('Airlock/x'), /Google refused Airlock's credentials .*Token has been expired or revoked/);
  });
});
