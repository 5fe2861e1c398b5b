// The shell scripts run on each host, as the originals wrote them (so a dry run prints the same
// text), with two deliberate fixes: background jobs are stopped by process group — the original
// killed only the `setsid` leader and left children running — and the client's PID is reported.
import { posix } from 'node:path';
import { shellQuote as q, isShellName } from '../shell/quote';
import { termWaitKillScript } from '../shell/termWaitKill';
import type { RoleHost } from './roleHosts';

export type ScriptStyle = 'queue' | 'sequenced';

/** `_compose_job_cmd`: activate && cd repo && export K=V ... && command. */
export function composeJobCmd(host: RoleHost, env: ReadonlyMap<string, string>, command: string): string {
  const steps: string[] = [];
  if (host.activate) steps.push(host.activate);
  steps.push(`cd ${q(host.repoDir)}`);
  const keys = [...env.keys()].filter((k) => k);
  // The config loader refuses these with file:line; this guard keeps any other caller from turning a name into code.
  const bad = keys.find((k) => !isShellName(k));
  if (bad !== undefined) throw new Error(`environment variable name ${JSON.stringify(bad)} is not a shell name ([A-Za-z_][A-Za-z0-9_]*)`);
  const exports = keys.map((k) => `${k}=${q(env.get(k)!)}`);
  if (exports.length) steps.push(`export ${exports.join(' ')}`);
  steps.push(command);
  return steps.join(' && ');
}

/** Kills the process group (= session, `setsid` made the job its leader) named by the pid file. */
function killGroupIfAlive(pidExpr: string): string {
  return `kill -TERM -- -${pidExpr} 2>/dev/null || true`;
}

/**
 * Starts `jobCmd` detached: `nohup setsid bash -lc JOB > LOG 2>&1 < /dev/null &`. `$!` is the job's
 * PID and, since setsid made it a session leader, its process-group id. A job left over from an
 * earlier run under the same pid file is killed (its whole group) first.
 */
export function startScript(style: ScriptStyle, name: string, log: string, jobCmd: string): string {
  const pid = `${log}.pid`;
  const stale = `"$(cat ${q(pid)})"`;
  const gap = style === 'queue' ? '  ' : '';
  return (
    'set -euo pipefail; ' +
    `mkdir -p ${q(posix.dirname(log))}; ` +
    `if [ -f ${q(pid)} ] && kill -0 -- -${stale} 2>/dev/null; then ` +
    `  ${killGroupIfAlive(stale)}; ${gap}sleep 1; ` +
    'fi; ' +
    `nohup setsid bash -lc ${q(jobCmd)} > ${q(log)} 2>&1 < /dev/null & ` +
    `echo $! > ${q(pid)}; ` +
    `echo STARTED ${q(name)} PID=$(cat ${q(pid)})` +
    (style === 'queue' ? ` LOG=${q(log)}` : '')
  );
}

/**
 * Stops a background job: TERM to its process group, up to `graceSec` for it to go, then KILL to the
 * group and to anything left in its session. Prints NO_PIDFILE or STOPPED like the original, and
 * ALREADY_EXITED first when the job had ended on its own (a crashed server invalidates the case).
 */
export function stopScript(name: string, log: string, graceSec: number): string {
  const pid = q(`${log}.pid`);
  return (
    'set -euo pipefail; ' +
    `if [ ! -f ${pid} ]; then echo NO_PIDFILE ${q(name)}; exit 0; fi; ` +
    `PID=$(cat ${pid}); ` +
    `${termWaitKillScript('"$PID"', graceSec, { ifGone: 'echo ALREADY_EXITED' })}; ` +
    `rm -f ${pid}; echo STOPPED ${q(name)} PID=$PID`
  );
}

/** Runs the foreground role; its output goes to the log, `set -e` makes a failing client fail the case. */
export function clientScript(style: ScriptStyle, log: string, jobCmd: string): string {
  return (
    'set -euo pipefail; ' +
    `mkdir -p ${q(posix.dirname(log))}; ` +
    'echo CLIENT_PID=$$; ' +
    `bash -lc ${q(jobCmd)} > ${q(log)} 2>&1; ` +
    'echo CLIENT_DONE' +
    (style === 'queue' ? ` LOG=${q(log)}` : '')
  );
}

/** `reinstall_cmd` (e.g. `pip install -e .`) in the role's repo with its env. */
export function reinstallScript(jobCmd: string): string {
  return `set -euo pipefail; bash -lc ${q(jobCmd)}`;
}
