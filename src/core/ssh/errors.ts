// Typed SSH failures. Each message is meant for a person: what failed, why, and what to do next.
// Messages never contain key material or passphrases.

/** Base class so callers can `instanceof SshError` and show `message` as is. */
export class SshError extends Error {
  override readonly name: string = 'SshError';
}

/** The host could not be reached: connection refused, timed out, name not resolved, network down. */
export class HostUnreachableError extends SshError {
  override readonly name = 'HostUnreachableError';
  constructor(
    readonly host: string,
    readonly port: number,
    /** `refused` | `timeout` | `dns` | `network` | `closed` */
    readonly kind: 'refused' | 'timeout' | 'dns' | 'network' | 'closed',
    detail: string,
  ) {
    super(`${host}:${port} is unreachable: ${detail}`);
  }
}

/** The server rejected every key we offered (agent and identity files). */
export class AuthFailedError extends SshError {
  override readonly name = 'AuthFailedError';
  constructor(
    readonly host: string,
    readonly user: string,
    /** Human notes on what was tried/skipped, e.g. "~/.ssh/id_rsa is encrypted and no passphrase was given". */
    readonly notes: string[],
  ) {
    super(
      `Authentication to ${user}@${host} failed: the server accepted none of the offered keys` +
        (notes.length ? ` (${notes.join('; ')})` : '') +
        `. Add your public key to ~${user === 'root' ? 'root' : '/' + user}/.ssh/authorized_keys on the host, ` +
        `load the key into ssh-agent (ssh-add), or set "identityFile" for this host.`,
    );
  }
}

/** The server's host key differs from the one in known_hosts: possibly an attack, possibly a reinstalled machine. */
export class HostKeyChangedError extends SshError {
  override readonly name = 'HostKeyChangedError';
  constructor(
    /** The known_hosts name: `host` or `[host]:port`. */
    readonly hostPattern: string,
    readonly keyType: string,
    readonly fingerprint: string,
    readonly knownHostsFile: string,
    readonly line: number,
    /** Set when the host is known by a key of another type (it no longer offers the type we know). */
    readonly knownKeyType?: string,
  ) {
    super(
      `The host key of ${hostPattern} has CHANGED (now ${keyType} ${fingerprint}); it does not match ` +
        `${knownHostsFile}:${line}${knownKeyType ? `, which holds its ${knownKeyType} key — the server no longer offers that type` : ''}. Someone could be intercepting the connection, or the machine was reinstalled. ` +
        `If you know why it changed, remove the old key with: ssh-keygen -R '${hostPattern}' -f ${knownHostsFile}` +
        ` and connect again to review the new fingerprint.`,
    );
  }
}

/** The host key is unknown (or revoked) and the host key policy did not accept it. */
export class HostKeyRejectedError extends SshError {
  override readonly name = 'HostKeyRejectedError';
  constructor(
    readonly hostPattern: string,
    readonly keyType: string,
    readonly fingerprint: string,
    reason: string,
  ) {
    super(`Refused to connect to ${hostPattern}: ${reason} (${keyType} ${fingerprint}).`);
  }
}

/** A configuration problem on our side (bad ProxyJump, unreadable identity file). */
export class SshConfigError extends SshError {
  override readonly name = 'SshConfigError';
}
