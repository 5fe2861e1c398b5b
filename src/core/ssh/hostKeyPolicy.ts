// What to do when a server presents a host key that known_hosts does not know yet.
// The editor asks the user in a modal (showing the fingerprint); the CLI refuses unless told otherwise.

export interface UnknownHostKey {
  /** Address as written in known_hosts: the host name (or `[host]:port` when port != 22 is in `pattern`). */
  host: string;
  port: number;
  /** known_hosts name: `host` for port 22, `[host]:port` otherwise. */
  pattern: string;
  /** e.g. `ssh-ed25519`. */
  keyType: string;
  /** OpenSSH-style `SHA256:...` (base64, no padding). */
  fingerprint: string;
}

export interface HostKeyPolicy {
  /** Resolve true to trust the key (it is then appended to known_hosts), false to refuse the connection. */
  confirmUnknownHost(key: UnknownHostKey): Promise<boolean>;
}

/** Refuses every unknown key (the CLI default; like `StrictHostKeyChecking yes`). */
export const refuseUnknownHostKeys: HostKeyPolicy = {
  confirmUnknownHost: async () => false,
};

/** Trusts a key seen for the first time (like `StrictHostKeyChecking accept-new`); changed keys are still refused. */
export const acceptNewHostKeys: HostKeyPolicy = {
  confirmUnknownHost: async () => true,
};
