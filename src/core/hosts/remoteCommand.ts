// The shell wrapper every remote command runs in. It starts the command in its own session/process
// group and first prints that group's id on stderr, so cancelling can kill the whole group (the
// command's children included) over a second channel instead of only closing the channel, which
// leaves `nohup`-style children running.
import { isShellName, remotePathExpr, shellQuote } from '../shell/quote';
import { termWaitKillScript } from '../shell/termWaitKill';

export { remotePathExpr };

export const pgidMarker = '__AIRLOCK_PGID=';

export interface RemoteCommandOptions {
  cwd?: string;
  env?: Record<string, string>;
}

/** The command plus `export`s and `cd`, as the inner script run by `bash -lc`. */
export function innerScript(command: string, opts: RemoteCommandOptions = {}): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (!isShellName(k)) throw new Error(`environment variable name "${k}" is not valid in a shell`);
    parts.push(`export ${k}=${shellQuote(v)}`);
  }
  if (opts.cwd) parts.push(`cd ${remotePathExpr(opts.cwd)} || exit 1`);
  parts.push(command);
  return parts.join('\n');
}

/**
 * Full remote command line (read by the user's login shell with `sh -c`). `setsid -w` gives a new
 * process group and still waits for the exit status; without setsid (macOS) sshd's session child is
 * already a group leader, so `$$` is the group id either way.
 */
export function wrapRemoteCommand(command: string, opts: RemoteCommandOptions = {}): string {
  const starter = `echo ${pgidMarker}$$ >&2; exec bash -lc "$1"`;
  const inner = shellQuote(innerScript(command, opts));
  return (
    `if command -v setsid >/dev/null 2>&1; then exec setsid -w bash -c ${shellQuote(starter)} airlock ${inner}; ` +
    `else exec bash -c ${shellQuote(starter)} airlock ${inner}; fi`
  );
}

/** Parses the marker line; undefined if `line` is not one. */
export function parsePgidMarker(line: string): number | undefined {
  if (!line.startsWith(pgidMarker)) return undefined;
  const n = Number(line.slice(pgidMarker.length).trim());
  return Number.isInteger(n) && n > 1 ? n : undefined;
}

/** TERM the group, wait up to `graceMs` for it to go, then KILL whatever is left (the one stop script). */
export function killGroupScript(pgid: number, graceMs: number): string {
  if (!Number.isInteger(pgid) || pgid <= 1) throw new Error(`killGroupScript: ${pgid} is not a process group id`);
  return `${termWaitKillScript(String(pgid), graceMs / 1000)}; true`;
}
