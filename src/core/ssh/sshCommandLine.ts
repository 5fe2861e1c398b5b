// The one builder of `ssh` command lines a user pastes into a terminal (Copy SSH Command, a pod's
// ssh/tunnel line). Every argument goes through the one quoting function, and a name that ssh
// would read as an option (a leading `-`) or that carries control characters is refused, so a
// hostile hosts.json, ssh config or cloud API answer cannot smuggle options or commands in.
import type { HostSpec } from '../hosts/types';
import { shellJoin } from '../shell/quote';
import type { SshTarget } from './sshTarget';

export interface SshHop {
  user: string;
  host: string;
  port: number;
}

export interface SshCommandLineSpec {
  /** An ~/.ssh/config alias: the user's own settings apply, so no other flag is added. */
  alias?: string;
  host: string;
  port: number;
  user: string;
  identityFile?: string;
  /** ProxyJump hops, outermost first (`-J a,b`). */
  jumps?: SshHop[];
  /** `-L localPort:remoteHost:remotePort`. */
  localForwards?: { localPort: number; remoteHost: string; remotePort: number }[];
}

export class SshCommandLineError extends Error {
  override readonly name = 'SshCommandLineError';
}

function word(what: string, v: string): string {
  // eslint-disable-next-line no-control-regex
  if (!v || v.startsWith('-') || /[\s\x00-\x1f\x7f]/.test(v))
    throw new SshCommandLineError(`${what} ${JSON.stringify(v)} cannot be used in an ssh command line`);
  return v;
}

const hop = (h: SshHop) => `${word('user', h.user)}@${word('host', h.host)}${h.port !== 22 ? `:${h.port}` : ''}`;

/** The argv (`ssh` first); each element is one shell word once quoted. */
export function sshArgv(s: SshCommandLineSpec): string[] {
  if (s.alias !== undefined) return ['ssh', word('alias', s.alias)];
  const argv = ['ssh'];
  if (s.port !== 22) argv.push('-p', String(s.port));
  if (s.identityFile) argv.push('-i', s.identityFile);
  if (s.jumps?.length) argv.push('-J', s.jumps.map(hop).join(','));
  argv.push(`${word('user', s.user)}@${word('host', s.host)}`);
  // After the destination, as Airlock always printed it (ssh parses options that follow the host).
  for (const f of s.localForwards ?? []) argv.push('-L', `${f.localPort}:${word('host', f.remoteHost)}:${f.remotePort}`);
  return argv;
}

/** The line to paste into a POSIX shell. */
export function sshCommandLine(s: SshCommandLineSpec): string {
  return shellJoin(sshArgv(s));
}

/** Copy SSH Command: an ssh-config alias stays an alias; other hosts get explicit -p/-i/-J flags. */
export function sshCommandLineForHost(target: SshTarget, spec: HostSpec): string {
  if (spec.source === 'ssh-config') return sshCommandLine({ alias: spec.name, host: target.host, port: target.port, user: target.user });
  return sshCommandLine({ host: target.host, port: target.port, user: target.user, identityFile: target.identityFiles[0], jumps: target.jumps });
}
