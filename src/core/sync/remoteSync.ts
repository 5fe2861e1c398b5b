// The editor's side of `airlock sync` / `airlock data` on a host: the shell scripts that start a
// detached watcher (one per watched directory), stop it, read its status, and run resume / fetch in
// the foreground. Credentials never travel in argv, logs or files others can read: they arrive on
// the script's stdin (one base64 line each), are written to 0600 files in a fresh 0700 `mktemp -d`
// directory, handed to the CLI by path (AIRLOCK_DRIVE_SA_JSON, AIRLOCK_CONFIG_DIR for a Drive
// sign-in, AIRLOCK_HF_TOKEN_FILE), and the directory is deleted as soon as the CLI has read them
// (a watcher prints "airlock sync: watching" after that; resume and fetch when they exit), with a
// detached fallback that deletes it after 3 minutes whatever happens to the SSH session.
import { createHash } from 'node:crypto';
import { remotePathExpr, shellQuote } from '../shell/quote';
import { termWaitKillScript } from '../shell/termWaitKill';
import type { DriveCredentials } from '../colab/driveKeys';
import type { SyncState } from './syncState';

export interface SyncEndpoints {
  hubUrl?: string;
  driveRootUrl?: string;
  tokenUrl?: string;
}

export interface SyncSecrets {
  drive?: DriveCredentials;
  hfToken?: string;
}

/** Where a watcher's files live on the host: one directory per watched dir (its absolute path hashed). */
export function remoteSyncFiles(absDir: string): { base: string; config: string; log: string; pid: string } {
  const key = createHash('sha256').update(absDir).digest('hex').slice(0, 16);
  const base = `~/.airlock/sync/${key}`;
  return { base, config: `${base}/sync.json`, log: `${base}/watch.log`, pid: `${base}/watch.pid` };
}

/** What goes to the script's stdin: one base64 line per secret ("-" for none), in a fixed order. */
export function secretsInput(s: SyncSecrets): string {
  const b64 = (v: string | undefined) => (v ? Buffer.from(v, 'utf8').toString('base64') : '-');
  const sa = s.drive?.kind === 'service-account' ? s.drive.keyJson : undefined;
  const oauth =
    s.drive?.kind === 'oauth'
      ? JSON.stringify({ clientId: s.drive.clientId, clientSecret: s.drive.clientSecret, refreshToken: s.drive.refreshToken })
      : undefined;
  return `${b64(sa)}\n${b64(oauth)}\n${b64(s.hfToken)}\n`;
}

/**
 * Reads the secrets from stdin into `$SD` (0700) and sets `$SENV` to the env assignments that point
 * the CLI at them. `printf` and `read` are shell builtins: the values never appear in a process list.
 */
const secretsPreamble = [
  'umask 077',
  'SD=$(mktemp -d "${TMPDIR:-/tmp}/airlock-cred.XXXXXXXX")',
  // Whatever happens to this session, the directory goes within 3 minutes.
  'nohup setsid sh -c "sleep 180; rm -rf \\"$SD\\"" >/dev/null 2>&1 </dev/null &',
  'read -r L_SA || L_SA=-; read -r L_OAUTH || L_OAUTH=-; read -r L_HF || L_HF=-',
  'SENV=""',
  'if [ "$L_SA" != - ]; then printf %s "$L_SA" | base64 -d > "$SD/sa.json"; SENV="$SENV AIRLOCK_DRIVE_SA_JSON=$SD/sa.json"; fi',
  'if [ "$L_OAUTH" != - ]; then printf %s "$L_OAUTH" | base64 -d > "$SD/google-drive-oauth.json"; SENV="$SENV AIRLOCK_CONFIG_DIR=$SD"; fi',
  'if [ "$L_HF" != - ]; then printf %s "$L_HF" | base64 -d > "$SD/hf-token"; SENV="$SENV AIRLOCK_HF_TOKEN_FILE=$SD/hf-token"; fi',
  'unset L_SA L_OAUTH L_HF',
  'umask 022',
];

function endpointFlags(e: SyncEndpoints): string {
  return [
    e.hubUrl ? `--hub-url ${shellQuote(e.hubUrl)}` : '',
    e.driveRootUrl ? `--drive-root-url ${shellQuote(e.driveRootUrl)}` : '',
    e.tokenUrl ? `--token-url ${shellQuote(e.tokenUrl)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Makes the directory when missing and prints its absolute path (the watcher's identity). */
export function resolveDirCommand(dir: string): string {
  return `mkdir -p ${remotePathExpr(dir)} && cd ${remotePathExpr(dir)} && pwd -P`;
}

/**
 * Starts `airlock sync watch` detached (nohup setsid: it survives the editor and the SSH session)
 * unless a watcher of the same directory is alive. Prints `started PID` or `already PID`.
 */
export function startWatchCommand(o: { cli: string; absDir: string; endpoints: SyncEndpoints }): string {
  const f = remoteSyncFiles(o.absDir);
  const pid = `"$(cat ${f.pid})"`;
  return [
    // The config was uploaded beside the live one: a running watcher keeps the config it started with.
    `if [ -s ${f.pid} ] && kill -0 ${pid} 2>/dev/null; then rm -f ${f.config}.new; echo "already $(cat ${f.pid})"; exit 0; fi`,
    `mv -f ${f.config}.new ${f.config}`,
    ...secretsPreamble,
    `cd ${shellQuote(o.absDir)}`,
    `env $SENV nohup setsid node ${remotePathExpr(o.cli)} sync watch ${shellQuote(o.absDir)} --config ${f.config} ${endpointFlags(o.endpoints)} > ${f.log} 2>&1 < /dev/null &`,
    'P=$!',
    `echo "$P" > ${f.pid}`,
    // The CLI reads every credential before it prints this line; then the files go.
    `i=0; while [ $i -lt 600 ] && kill -0 "$P" 2>/dev/null && ! grep -q 'airlock sync: watching' ${f.log}; do sleep 0.1; i=$((i+1)); done`,
    'rm -rf "$SD"',
    `if ! kill -0 "$P" 2>/dev/null; then echo "the sync did not start:" >&2; tail -n 20 ${f.log} >&2; rm -f ${f.pid}; exit 1; fi`,
    'echo "started $P"',
  ].join('\n');
}

/** TERM the watcher's group (it records stoppedAt), KILL it after `graceSec`. Prints `stopped` or `not running`. */
export function stopWatchCommand(absDir: string, graceSec = 20): string {
  const f = remoteSyncFiles(absDir);
  return [
    `if ! [ -s ${f.pid} ]; then echo "not running"; exit 0; fi`,
    `P=$(cat ${f.pid})`,
    'case "$P" in *[!0-9]*|"") echo "not running"; exit 0;; esac',
    `${termWaitKillScript('"$P"', graceSec, { ifGone: 'echo "not running"' })}`,
    `rm -f ${f.pid}`,
    'echo stopped',
  ].join('\n');
}

/** First line `alive` / `dead`, then `airlock sync status DIR --json` (or its error). */
export function statusCommand(o: { cli: string; absDir: string }): string {
  const f = remoteSyncFiles(o.absDir);
  return [
    `if [ -s ${f.pid} ] && kill -0 "$(cat ${f.pid})" 2>/dev/null; then echo alive; else echo dead; fi`,
    `node ${remotePathExpr(o.cli)} sync status ${shellQuote(o.absDir)} --json`,
  ].join('\n');
}

export interface RemoteSyncStatus {
  alive: boolean;
  state?: SyncState;
  /** Why there is no state (the CLI's own words). */
  error?: string;
}

export function parseStatusOutput(r: { code: number | null; stdout: string; stderr: string }): RemoteSyncStatus {
  const [first = '', ...rest] = r.stdout.split('\n');
  const alive = first.trim() === 'alive';
  if (r.code !== 0) return { alive, error: (r.stderr || rest.join('\n')).trim().split('\n').slice(-2).join(' ') || `exit ${r.code}` };
  try {
    return { alive, state: JSON.parse(rest.join('\n')) as SyncState };
  } catch {
    return { alive, error: 'airlock sync status printed something that is not JSON' };
  }
}

/** A foreground CLI run with the secrets on stdin; the credentials directory goes when it exits. */
export function foregroundCommand(o: { cli: string; cwd?: string; args: string[]; endpoints: SyncEndpoints }): string {
  return [
    ...secretsPreamble,
    'trap \'rm -rf "$SD"\' EXIT',
    'trap \'rm -rf "$SD"; exit 130\' INT TERM HUP',
    ...(o.cwd ? [`cd ${remotePathExpr(o.cwd)}`] : []),
    `env $SENV node ${remotePathExpr(o.cli)} ${o.args.map((a) => (a.startsWith('~/') ? remotePathExpr(a) : shellQuote(a))).join(' ')} ${endpointFlags(o.endpoints)} < /dev/null`,
  ].join('\n');
}

/** Where the editor uploads the config before starting (moved into place only if it starts). */
export const remoteSyncConfigUpload = (absDir: string) => `${remoteSyncFiles(absDir).config}.new`;
