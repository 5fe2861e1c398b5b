// One SSH connection: host key verification against known_hosts, auth, timeouts, typed errors.
import type { Client, ConnectConfig } from 'ssh2';
import { loadSsh2 } from './loadSsh2';
import type { Duplex } from 'node:stream';
import { homedir } from 'node:os';
import { CancelledError } from '../process/errors';
import { AuthFailedError, HostKeyChangedError, HostKeyRejectedError, HostUnreachableError, type SshError } from './errors';
import type { HostKeyPolicy } from './hostKeyPolicy';
import { addKnownHost, checkHostKey, keyTypeOfBlob, knownHostsName, knownKeyTypes, sshFingerprint } from './knownHosts';
import { authMethods, loadCredentials, type PassphraseProvider } from './sshAuth';
import { defaultIdentityFiles, type SshTarget } from './sshTarget';

export interface ConnectOptions {
  hostKeyPolicy: HostKeyPolicy;
  /** Seconds between keep-alives; 0 disables. Default 15. */
  keepaliveIntervalSec?: number;
  /** Seconds to wait for TCP + handshake + auth. Default 10. */
  connectTimeoutSec?: number;
  /** Overrides the target's UserKnownHostsFile (~/.ssh/known_hosts); the global files are still read. */
  knownHostsFile?: string;
  /** Overrides the target's GlobalKnownHostsFile (/etc/ssh/ssh_known_hosts); `[]` reads none. */
  globalKnownHostsFiles?: string[];
  /** ssh-agent socket; default `process.env.SSH_AUTH_SOCK`. `null` disables the agent. */
  agentSocket?: string | null;
  askPassphrase?: PassphraseProvider;
}

const serverHostKeyOrder = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** The files OpenSSH would read for this target, user files first; new keys are added to the first. */
export function knownHostsFilesFor(target: SshTarget, opts: ConnectOptions): { user: string[]; global: string[] } {
  const user = opts.knownHostsFile ? [opts.knownHostsFile] : (target.knownHostsFiles ?? [`${homedir()}/.ssh/known_hosts`, `${homedir()}/.ssh/known_hosts2`]);
  const global = opts.globalKnownHostsFiles ?? target.globalKnownHostsFiles ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];
  return { user, global };
}

/** Opens an authenticated connection to `target` (over `sock` when it is reached through a jump host). */
export async function connectSsh(target: SshTarget, opts: ConnectOptions, sock?: Duplex, signal?: AbortSignal): Promise<Client> {
  if (signal?.aborted) throw new CancelledError();
  const knownHosts = knownHostsFilesFor(target, opts);
  const allKnownHosts = [...knownHosts.user, ...knownHosts.global];
  const explicit = target.identityFiles.length > 0;
  const agent = opts.agentSocket === null ? undefined : (opts.agentSocket ?? process.env.SSH_AUTH_SOCK);
  const creds = await loadCredentials(explicit ? target.identityFiles : defaultIdentityFiles(), explicit, agent, opts.askPassphrase);
  // Prefer the key types known_hosts already holds, so a host known by its ECDSA key is not "unknown" for ed25519.
  const known = new Set(
    (await knownKeyTypes(allKnownHosts, target.host, target.port)).flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t])),
  );
  const hostKeyOrder = [...serverHostKeyOrder.filter((k) => known.has(k)), ...serverHostKeyOrder.filter((k) => !known.has(k))];

  const ssh2 = await loadSsh2();
  return new Promise<Client>((resolve, reject) => {
    const client = new ssh2.Client();
    let settled = false;
    let verifyError: SshError | undefined;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      client.end();
      reject(err);
    };
    const onAbort = () => fail(new CancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });

    const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
      verifyHostKey(target, key, knownHosts, opts.hostKeyPolicy).then(
        () => verify(true),
        (err: SshError) => {
          verifyError = err;
          verify(false);
        },
      );
    };

    client.on('ready', () => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve(client);
    });
    client.on('error', (err: Error & { level?: string; code?: string }) => fail(verifyError ?? classifyError(err, target, creds.notes)));
    client.on('close', () =>
      fail(verifyError ?? new HostUnreachableError(target.host, target.port, 'closed', 'the server closed the connection during the handshake')),
    );

    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.user,
      sock: sock as ConnectConfig['sock'],
      readyTimeout: (opts.connectTimeoutSec ?? 10) * 1000,
      keepaliveInterval: (opts.keepaliveIntervalSec ?? 15) * 1000,
      keepaliveCountMax: 3,
      hostVerifier: hostVerifier as ConnectConfig['hostVerifier'],
      authHandler: authMethods(target.user, creds) as ConnectConfig['authHandler'],
      algorithms: { serverHostKey: hostKeyOrder as never },
    };
    client.connect(config);
  });
}

async function verifyHostKey(target: SshTarget, key: Buffer, knownHosts: { user: string[]; global: string[] }, policy: HostKeyPolicy): Promise<void> {
  const keyType = keyTypeOfBlob(key);
  const fingerprint = sshFingerprint(key);
  const pattern = knownHostsName(target.host, target.port);
  // Every file is read before any policy is asked: accept-new (and the editor's prompt) only ever
  // sees a host that no file knows, never one whose key changed or changed type.
  const check = await checkHostKey([...knownHosts.user, ...knownHosts.global], target.host, target.port, keyType, key);
  if (check.status === 'match') return;
  if (check.status === 'changed') throw new HostKeyChangedError(pattern, keyType, fingerprint, check.file, check.line ?? 0, check.knownKeyType);
  if (check.status === 'revoked') throw new HostKeyRejectedError(pattern, keyType, fingerprint, `its key is marked @revoked in ${check.file}:${check.line}`);
  const addTo = knownHosts.user[0];
  const ok = addTo ? await policy.confirmUnknownHost({ host: target.host, port: target.port, pattern, keyType, fingerprint }).catch(() => false) : false;
  if (!ok)
    throw new HostKeyRejectedError(
      pattern,
      keyType,
      fingerprint,
      `its host key is not in ${[...knownHosts.user, ...knownHosts.global].join(', ') || 'any known_hosts file'} and was not accepted`,
    );
  await addKnownHost(addTo!, target.host, target.port, keyType, key);
}

function classifyError(err: Error & { level?: string; code?: string }, t: SshTarget, notes: string[]): Error {
  if (err.level === 'client-authentication') return new AuthFailedError(t.host, t.user, notes);
  if (err.level === 'client-timeout' || err.code === 'ETIMEDOUT')
    return new HostUnreachableError(
      t.host,
      t.port,
      'timeout',
      'the connection timed out — is the machine up and the address right? (airlock.ssh.connectTimeoutSec)',
    );
  if (err.code === 'ECONNREFUSED')
    return new HostUnreachableError(t.host, t.port, 'refused', 'connection refused — nothing listens on that port (is sshd running? is the port right?)');
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN')
    return new HostUnreachableError(t.host, t.port, 'dns', `the name "${t.host}" does not resolve — check HostName (or the machine's new IP)`);
  if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH' || err.code === 'ECONNRESET')
    return new HostUnreachableError(t.host, t.port, 'network', `${err.code}: the network path to the host is down`);
  return new HostUnreachableError(t.host, t.port, 'network', err.message);
}
