// What every failed command shows (presentError in the editor renders this): the message and the
// actions that fix the cause, always with "Show Log"; cancelling shows nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorNotice } from '../../../src/core/errors/errorNotice';
import { UserError } from '../../../src/core/errors/userError';
import { ConfigError } from '../../../src/core/config/jsoncDoc';
import { AuthFailedError, HostKeyChangedError, HostKeyRejectedError, HostUnreachableError } from '../../../src/core/ssh/errors';
import { PodError } from '../../../src/core/pods/errors';
import { ColabError } from '../../../src/core/colab/colabErrors';
import { CancelledError } from '../../../src/core/process/errors';
import { commandIds } from '../../../src/ids';

const titles = (err: unknown, o: { canRetry?: boolean } = {}) => errorNotice(err, 'Do It', o)?.actions.map((a) => a.title);

test('cancelling is not an error: no notice', () => {
  assert.equal(errorNotice(new CancelledError(), 'Create Pod'), undefined);
  assert.equal(errorNotice(Object.assign(new Error('aborted'), { name: 'AbortError' })), undefined);
});

test('the message names the command and says why; every notice offers Show Log', () => {
  const n = errorNotice(new UserError('open a folder first'), 'Generate');
  assert.deepEqual(n, { message: 'Airlock: Generate failed — open a folder first', actions: [{ title: 'Show Log', kind: 'log' }] });
  assert.equal(errorNotice('plain string')?.message, 'Airlock: plain string');
});

// Every reader (phases, sweep, hosts) throws the one ConfigError.
test('a config error from any reader opens its file at the line', () => {
  for (const err of [
    new ConfigError('/w/.airlock/phases.json', 12, 'phases[0].reruns', 'must be an integer ≥ 1'),
    new ConfigError('/w/sweep.json', 57, 'cases[2].vars.batch_size', 'must be an integer'),
    new ConfigError('/w/.airlock/hosts.json', 7, 'hosts[1].port', 'must be 1-65535'),
  ]) {
    const n = errorNotice(err, 'Run Sweep')!;
    assert.deepEqual(n.actions, [
      { title: 'Open File', kind: 'open', file: err.file, line: err.line },
      { title: 'Show Log', kind: 'log' },
    ]);
    assert.ok(n.message.includes(`${err.file}:${err.line}: `));
  }
});

test('SSH: a changed host key opens known_hosts at its line; failed auth leads to the hosts config; a refused key offers a retry when the caller can', () => {
  const changed = errorNotice(new HostKeyChangedError('[127.0.0.1]:2222', 'ssh-ed25519', 'SHA256:abc', '/root/.ssh/known_hosts', 4))!;
  assert.deepEqual(changed.actions[0], { title: 'Open known_hosts', kind: 'open', file: '/root/.ssh/known_hosts', line: 4 });
  assert.match(changed.message, /ssh-keygen -R/, 'the message carries the fix');
  assert.deepEqual(errorNotice(new AuthFailedError('h', 'me', []))!.actions[0], {
    title: 'Open Hosts Config',
    kind: 'command',
    command: commandIds.hostsOpenConfig,
  });
  const rejected = new HostKeyRejectedError('h', 'ssh-ed25519', 'SHA256:x', 'not trusted');
  assert.deepEqual(titles(rejected), ['Show Log']);
  assert.deepEqual(titles(rejected, { canRetry: true }), ['Retry', 'Show Log']);
  assert.deepEqual(titles(new HostUnreachableError('h', 22, 'refused', 'connection refused')), ['Show Log']);
});

test('RunPod: no capacity offers another GPU, a bad or missing key offers Set RunPod API Key', () => {
  assert.deepEqual(errorNotice(new PodError('no-capacity', 'RunPod has no RTX 4090 left'))!.actions[0], {
    title: 'Try Another GPU',
    kind: 'command',
    command: commandIds.podsCreate,
  });
  for (const code of ['unauthorized', 'no-api-key'] as const) {
    assert.deepEqual(errorNotice(new PodError(code, 'key'))!.actions[0], { title: 'Set RunPod API Key', kind: 'command', command: commandIds.podsSetApiKey });
  }
  assert.deepEqual(titles(new PodError('network', 'offline')), ['Show Log']);
});

test('Colab sign-in (or Drive consent) offers a visible browser and a retry', () => {
  for (const code of ['sign-in-needed', 'drive-not-authorised'] as const) {
    assert.deepEqual(errorNotice(new ColabError(code, 'sign in'), 'Dispatch', { canRetry: true })!.actions, [
      { title: 'Show Browser and Retry', kind: 'retry', showBrowser: true },
      { title: 'Show Log', kind: 'log' },
    ]);
  }
  assert.deepEqual(titles(new ColabError('no-gpu', 'no GPU'), { canRetry: true }), ['Show Log']);
});
