// Where each role runs: `host_defaults` merged under `hosts.<role>` (shallow, role keys win), as the
// original did, turned into a HostSpec for Airlock's SSH runners. `ssh_options` that OpenSSH took
// as `-o Key=Value` map onto the runner where they mean something to it; the rest are reported.
import type { HostSpec } from '../hosts/types';
import { isDict, pyInt, PyIntError, pyStr, pyTruthy, type PyValue } from './pyValue';
import type { SweepConfig } from './sweepConfig';

export interface RoleHost {
  role: string;
  /** `host` as written: an ~/.ssh/config alias or an address; `local` runs on this machine. */
  host: string;
  user: string;
  port?: number;
  repoDir: string;
  activate: string;
  /** As the original keeps them (undefined when empty), for the printed ssh/scp commands. */
  sshOptions?: string[];
  /** `user@host`, or `host` without a user. */
  address: string;
  spec: HostSpec;
  /** StrictHostKeyChecking=accept-new|no: trust this host's key the first time it is seen. */
  acceptNewHostKey: boolean;
}

const ignoredOptions = new Set([
  'batchmode',
  'serveralivecountmax',
  'identitiesonly',
  'loglevel',
  'controlmaster',
  'controlpath',
  'controlpersist',
  'compression',
  'forwardagent',
]);

export function buildRoleHosts(cfg: SweepConfig, defaultRepoDir: string, warnings: string[]): Map<string, RoleHost> {
  const out = new Map<string, RoleHost>();
  for (const [role, entry] of cfg.hosts) {
    if (!isDict(entry)) continue;
    const merged = new Map<string, PyValue>([...cfg.hostDefaults, ...entry]);
    const where = (k: string) => (entry.has(k) ? ['hosts', role, k] : ['host_defaults', k]);
    const hostValue = merged.get('host');
    if (hostValue === undefined || hostValue === null || pyStr(hostValue) === '')
      throw cfg.error(['hosts', role, 'host'], 'is required (an ssh alias or an address)');
    const host = pyStr(hostValue);
    // null reads as "not set" (Python would have printed "None").
    const text = (k: string) => (merged.get(k) === undefined || merged.get(k) === null ? undefined : pyStr(merged.get(k)!));
    const user = text('user') ?? '';
    const portValue = merged.get('port');
    let port: number | undefined;
    if (portValue !== undefined && portValue !== null && portValue !== '') {
      try {
        port = Number(pyInt(portValue));
      } catch (err) {
        throw cfg.error(where('port'), (err as PyIntError).message);
      }
      if (port < 1 || port > 65535) throw cfg.error(where('port'), `must be a port number 1-65535, not ${port}`);
    }
    const opts = merged.get('ssh_options');
    if (pyTruthy(opts) && (!Array.isArray(opts) || !opts.every((o) => typeof o === 'string')))
      throw cfg.error(where('ssh_options'), 'must be a list of "Key=Value" strings');
    const sshOptions = pyTruthy(opts) ? (opts as string[]) : undefined;
    const spec: HostSpec =
      host === 'local'
        ? { name: `${role}@local`, kind: 'local', source: 'workspace' }
        : { name: user ? `${user}@${host}` : host, kind: 'ssh', source: 'workspace', hostName: host, user: user || undefined, port };
    let acceptNewHostKey = false;
    for (const raw of sshOptions ?? []) {
      const m = /^\s*([A-Za-z]+)\s*(?:=|\s)\s*(.*?)\s*$/.exec(raw);
      const key = m?.[1]?.toLowerCase();
      const value = m?.[2] ?? '';
      if (key === 'identityfile') spec.identityFiles = [...(spec.identityFiles ?? []), value];
      else if (key === 'proxyjump') spec.proxyJump = value;
      else if (key === 'port' && spec.port === undefined) spec.port = Number(value);
      else if (key === 'user' && spec.user === undefined) spec.user = value;
      else if (key === 'stricthostkeychecking') acceptNewHostKey = /^(accept-new|no|off)$/i.test(value);
      else if (key === 'serveraliveinterval' || key === 'connecttimeout' || (key && ignoredOptions.has(key))) continue;
      else warnings.push(cfg.error(where('ssh_options'), `option "${raw}" is not applied by Airlock's SSH client (set it in ~/.ssh/config instead)`).message);
    }
    out.set(role, {
      role,
      host,
      user,
      port,
      sshOptions,
      spec,
      acceptNewHostKey,
      repoDir: text('repo_dir') ?? defaultRepoDir,
      activate: text('activate') ?? '',
      address: user ? `${user}@${host}` : host,
    });
  }
  return out;
}

/**
 * `ssh [-p PORT] [-o OPT]... ADDRESS bash -lc REMOTE`, the command the original ran (and a dry run
 * prints). A `local` role uses no SSH: what runs is `bash -lc REMOTE` on this machine.
 */
export function sshArgv(h: RoleHost, remote: string): string[] {
  if (h.spec.kind === 'local') return ['bash', '-lc', remote];
  return ['ssh', ...(h.port !== undefined ? ['-p', String(h.port)] : []), ...(h.sshOptions ?? []).flatMap((o) => ['-o', o]), h.address, 'bash', '-lc', remote];
}

/** `scp [-P PORT] [-o OPT]... ADDRESS:REMOTE LOCAL` (Airlock copies over SFTP; this is the equivalent); `cp REMOTE LOCAL` for a `local` role. */
export function scpArgv(h: RoleHost, remote: string, local: string): string[] {
  if (h.spec.kind === 'local') return ['cp', remote, local];
  return ['scp', ...(h.port !== undefined ? ['-P', String(h.port)] : []), ...(h.sshOptions ?? []).flatMap((o) => ['-o', o]), `${h.address}:${remote}`, local];
}

/** The longest ServerAliveInterval / ConnectTimeout among the hosts, for the shared connection pool. */
export function poolTimings(hosts: Iterable<RoleHost>): { keepaliveIntervalSec?: number; connectTimeoutSec?: number } {
  let keepalive: number | undefined;
  let connect: number | undefined;
  for (const h of hosts) {
    for (const o of h.sshOptions ?? []) {
      const m = /^\s*(ServerAliveInterval|ConnectTimeout)\s*[=\s]\s*(\d+)\s*$/i.exec(o);
      if (!m) continue;
      const n = Number(m[2]);
      if (/^s/i.test(m[1]!)) keepalive = Math.max(keepalive ?? 0, n);
      else connect = Math.max(connect ?? 0, n);
    }
  }
  return { keepaliveIntervalSec: keepalive, connectTimeoutSec: connect };
}
