// Where and as whom to connect: a HostSpec resolved through ~/.ssh/config, ProxyJump hops included.
import { homedir, userInfo } from 'node:os';
import type { HostSpec } from '../hosts/types';
import { expandHome } from '../process/runLocal';
import { computeSshHost, readSshConfig, type SshHostSettings } from './sshConfig';
import { SshConfigError } from './errors';
import type SSHConfig from 'ssh-config';

export interface SshTarget {
  /** Display name for messages (host name or alias). */
  label: string;
  host: string;
  port: number;
  user: string;
  /** Identity files to try; empty = the OpenSSH defaults (~/.ssh/id_ed25519, id_ecdsa, id_rsa). */
  identityFiles: string[];
  /** UserKnownHostsFile (all of them; new keys go to the first). Default ~/.ssh/known_hosts, ~/.ssh/known_hosts2. */
  knownHostsFiles?: string[];
  /** GlobalKnownHostsFile. Default /etc/ssh/ssh_known_hosts, /etc/ssh/ssh_known_hosts2. */
  globalKnownHostsFiles?: string[];
  /** Jump hosts, outermost first (`ProxyJump a,b` = connect to a, then b through a, then this). */
  jumps: SshTarget[];
}

export interface ResolveTargetOptions {
  /** ~/.ssh/config by default; aliases in `hostName` and ProxyJump hops are looked up here. */
  sshConfigPath?: string;
}

/** A stable key for pooling: same user, address, port and jump chain = same connection. */
export function targetKey(t: SshTarget): string {
  const own = `${t.user}@${t.host}:${t.port}`;
  return t.jumps.length ? `${t.jumps.map(targetKey).join(' > ')} > ${own}` : own;
}

/** Resolves a host to a connectable target; explicit HostSpec fields win over ~/.ssh/config. */
export async function resolveSshTarget(spec: HostSpec, opts: ResolveTargetOptions = {}): Promise<SshTarget> {
  const config = await readSshConfig(opts.sshConfigPath ?? '~/.ssh/config');
  // An ssh-config host already carries its resolved HostName; look its settings up by the alias.
  const alias = spec.source === 'ssh-config' ? spec.name : (spec.hostName ?? spec.name);
  const base = computeSshHost(config, alias);
  const proxyJump = spec.proxyJump ?? base.proxyJump;
  return {
    label: spec.name,
    host: base.hostName,
    port: spec.port ?? base.port ?? 22,
    user: spec.user ?? base.user ?? userInfo().username,
    identityFiles: (spec.identityFiles?.length ? spec.identityFiles : base.identityFiles).map(expandHome),
    ...knownHostsOf(base),
    jumps: proxyJump ? parseProxyJump(proxyJump, config, spec.name) : [],
  };
}

/**
 * Parses OpenSSH `ProxyJump` (`[user@]host[:port]`, comma-separated, aliases allowed). A hop's own
 * ProxyJump is not followed: the chain is exactly what the user wrote, which is what `ssh -J` does.
 */
export function parseProxyJump(value: string, config: SSHConfig, forHost: string): SshTarget[] {
  return value.split(',').map((raw) => {
    const hop = raw.trim();
    const m = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:\s]+)(?::(\d+))?$/.exec(hop);
    if (!m) throw new SshConfigError(`ProxyJump "${value}" of ${forHost}: "${hop}" is not [user@]host[:port]`);
    const name = m[2]!.replace(/^\[|\]$/g, '');
    const s = computeSshHost(config, name);
    const port = m[3] ? Number(m[3]) : (s.port ?? 22);
    if (port < 1 || port > 65535) throw new SshConfigError(`ProxyJump "${value}" of ${forHost}: port ${port} is out of range`);
    return {
      label: name,
      host: s.hostName,
      port,
      user: m[1] ?? s.user ?? userInfo().username,
      identityFiles: s.identityFiles,
      ...knownHostsOf(s),
      jumps: [],
    };
  });
}

function knownHostsOf(s: SshHostSettings): Pick<SshTarget, 'knownHostsFiles' | 'globalKnownHostsFiles'> {
  return {
    ...(s.userKnownHostsFiles ? { knownHostsFiles: s.userKnownHostsFiles } : {}),
    ...(s.globalKnownHostsFiles ? { globalKnownHostsFiles: s.globalKnownHostsFiles } : {}),
  };
}

export function defaultIdentityFiles(): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => `${homedir()}/.ssh/${f}`);
}
