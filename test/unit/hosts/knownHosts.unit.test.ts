import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addKnownHost, checkHostKey, knownKeyTypes, keyTypeOfBlob, parseKnownHosts, patternsMatch, sshFingerprint } from '../../../src/core/ssh/knownHosts';

function blob(type: string, body: string): Buffer {
  const t = Buffer.from(type);
  const b = Buffer.from(body);
  const out = Buffer.alloc(8 + t.length + b.length);
  out.writeUInt32BE(t.length, 0);
  t.copy(out, 4);
  out.writeUInt32BE(b.length, 4 + t.length);
  b.copy(out, 8 + t.length);
  return out;
}
const keyA = blob('ssh-ed25519', 'A'.repeat(32));
const keyB = blob('ssh-ed25519', 'B'.repeat(32));
const keyEc = blob('ecdsa-sha2-nistp256', 'C'.repeat(65));
const b64 = (b: Buffer) => b.toString('base64');

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'airlock-kh-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('fingerprint matches ssh-keygen -l for a real key', () => {
    const key = join(dir, 'k');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const pub = readFileSync(`${key}.pub`, 'utf8').split(' ');
    const expected = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key}.pub`], { encoding: 'utf8' }).stdout.split(' ')[1];
    assert.match(expected!, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(sshFingerprint(Buffer.from(pub[1]!, 'base64')), expected);
    assert.equal(keyTypeOfBlob(Buffer.from(pub[1]!, 'base64')), 'ssh-ed25519');
  });

  test('plain names, [host]:port, comma lists, wildcards and negation', () => {
    assert.equal(patternsMatch('gpu1,10.0.0.5', '10.0.0.5', 22), true);
    assert.equal(patternsMatch('gpu1', 'gpu1', 2222), false, 'a non-22 port needs the [host]:port form');
    assert.equal(patternsMatch('[gpu1]:2222', 'gpu1', 2222), true);
    assert.equal(patternsMatch('*.lab.example,!bad.lab.example', 'a.lab.example', 22), true);
    assert.equal(patternsMatch('*.lab.example,!bad.lab.example', 'bad.lab.example', 22), false);
    assert.equal(patternsMatch('GPU1', 'gpu1', 22), true, 'host names are case-insensitive');
  });

  test('hashed |1|salt|hmac entries match only their host and port', () => {
    assert.equal(patternsMatch(hashed('[127.0.0.1]:2200'), '127.0.0.1', 2200), true);
    assert.equal(patternsMatch(hashed('[127.0.0.1]:2200'), '127.0.0.1', 2201), false);
    assert.equal(patternsMatch(hashed('gpu1'), 'gpu1', 22), true);
  });

  test('checkHostKey: match, changed (with line), unknown, other key type, revoked', async () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(
      file,
      [
        '# comment line',
        `gpu2 ssh-ed25519 ${b64(keyB)}`,
        `${hashed('gpu1')} ssh-ed25519 ${b64(keyA)}`,
        `[gpu1]:2222 ecdsa-sha2-nistp256 ${b64(keyEc)}`,
        'garbage-line-without-key',
        `@revoked * ssh-ed25519 ${b64(keyB)}`,
        '',
      ].join('\n'),
    );
    assert.deepEqual(await checkHostKey(file, 'gpu1', 22, 'ssh-ed25519', keyA), { status: 'match', file, line: 3 });
    assert.deepEqual(await checkHostKey(file, 'gpu1', 22, 'ssh-ed25519', blob('ssh-ed25519', 'Z'.repeat(32))), { status: 'changed', file, line: 3 });
    // OpenSSH's rule: a host known by another key type that now presents this one has changed — never "new".
    assert.deepEqual(
      await checkHostKey(file, 'gpu1', 2222, 'ssh-ed25519', keyA),
      { status: 'changed', file, line: 4, knownKeyType: 'ecdsa-sha2-nistp256' },
      'only an ECDSA key is known there',
    );
    assert.deepEqual(await checkHostKey(file, 'gpu1', 2222, 'ecdsa-sha2-nistp256', keyEc), { status: 'match', file, line: 4 });
    assert.deepEqual(await checkHostKey(file, 'newhost', 22, 'ssh-ed25519', keyA), { status: 'unknown', file });
    assert.deepEqual(await checkHostKey(file, 'gpu2', 22, 'ssh-ed25519', keyB), { status: 'revoked', file, line: 6 });
    assert.deepEqual(await checkHostKey(join(dir, 'missing'), 'gpu1', 22, 'ssh-ed25519', keyA), { status: 'unknown', file: join(dir, 'missing') });
  });

  test('several files (UserKnownHostsFile list, then GlobalKnownHostsFile): any file decides, revoked anywhere wins', async () => {
    const user1 = join(dir, 'kh_user1');
    const user2 = join(dir, 'kh_user2');
    const global = join(dir, 'kh_global');
    writeFileSync(user1, `other ssh-ed25519 ${b64(keyA)}\n`);
    writeFileSync(user2, `# second user file\ngpu5 ssh-ed25519 ${b64(keyA)}\n`);
    writeFileSync(global, `gpu6 ssh-ed25519 ${b64(keyA)}\ngpu7 ecdsa-sha2-nistp256 ${b64(keyEc)}\n@revoked * ssh-ed25519 ${b64(keyB)}\n`);
    const files = [user1, join(dir, 'kh_missing'), user2, global];
    assert.deepEqual(await checkHostKey(files, 'gpu5', 22, 'ssh-ed25519', keyA), { status: 'match', file: user2, line: 2 });
    assert.deepEqual(await checkHostKey(files, 'gpu6', 22, 'ssh-ed25519', keyA), { status: 'match', file: global, line: 1 });
    assert.deepEqual(
      await checkHostKey(files, 'gpu6', 22, 'ssh-ed25519', blob('ssh-ed25519', 'Q'.repeat(32))),
      { status: 'changed', file: global, line: 1 },
      'a conflict with the global file is a change',
    );
    assert.deepEqual(await checkHostKey(files, 'gpu7', 22, 'ssh-ed25519', keyA), {
      status: 'changed',
      file: global,
      line: 2,
      knownKeyType: 'ecdsa-sha2-nistp256',
    });
    assert.deepEqual(await checkHostKey(files, 'gpu5', 22, 'ssh-ed25519', keyB), { status: 'revoked', file: global, line: 3 });
    assert.deepEqual(await checkHostKey(files, 'gpu8', 22, 'ssh-ed25519', keyA), { status: 'unknown', file: user1 }, 'new keys go to the first user file');
    assert.deepEqual(await knownKeyTypes(files, 'gpu7', 22), ['ecdsa-sha2-nistp256']);
  });

  test('parseKnownHosts keeps 1-based lines and skips malformed ones', () => {
    const lines = parseKnownHosts(`\n# c\nh ssh-ed25519 ${b64(keyA)} comment here\nbroken\n@cert-authority *.x ssh-ed25519 ${b64(keyB)}\n`);
    assert.deepEqual(
      lines.map((l) => [l.line, l.patterns, l.marker]),
      [
        [3, 'h', undefined],
        [5, '*.x', 'cert-authority'],
      ],
    );
  });

  test('addKnownHost appends (adding a missing newline), creates the file 600 and is then a match', async () => {
    const file = join(dir, 'sub', 'kh');
    await addKnownHost(file, '127.0.0.1', 2200, 'ssh-ed25519', keyA);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    writeFileSync(file, readFileSync(file, 'utf8') + '# no newline at end');
    await addKnownHost(file, 'gpu9', 22, 'ssh-ed25519', keyB);
    assert.equal(readFileSync(file, 'utf8'), `[127.0.0.1]:2200 ssh-ed25519 ${b64(keyA)}\n# no newline at end\ngpu9 ssh-ed25519 ${b64(keyB)}\n`);
    assert.equal((await checkHostKey(file, '127.0.0.1', 2200, 'ssh-ed25519', keyA)).status, 'match');
  });

  test('keys added at the same moment (a sweep trusting several new hosts) are all kept', async () => {
    const file = join(dir, 'parallel_kh');
    await Promise.all(Array.from({ length: 8 }, (_, i) => addKnownHost(file, `host${i}`, 22, 'ssh-ed25519', keyA)));
    const names = parseKnownHosts(readFileSync(file, 'utf8'))
      .map((l) => l.patterns)
      .sort();
    assert.deepEqual(
      names,
      Array.from({ length: 8 }, (_, i) => `host${i}`),
    );
  });
});
