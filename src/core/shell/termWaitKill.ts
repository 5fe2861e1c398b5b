// The one remote "stop" script: TERM, wait up to a grace period for the process group to go, then
// KILL the group and anything left in its session. Used by the sweep's stopScript (pid files), the
// ssh runner's cancel (the marker's pgid) and the editor's "stop remote phase worker".

export interface TermWaitKillOptions {
  /**
   * TERM only the leader (it stops its own children, like the phase worker that releases its claim
   * first); the default TERMs the whole group. KILL always goes to the whole group.
   */
  termLeaderOnly?: boolean;
  /** Shell code run when the group was already gone before the TERM. */
  ifGone?: string;
}

/**
 * `pgid` is a shell word that expands to the group id: a literal number or a quoted variable such
 * as `"$PID"` — never text from elsewhere. "Gone" ignores zombies (`kill -0` counts them, and a slow
 * init can take a second to reap them); without `ps` it falls back to `kill -0`.
 */
export function termWaitKillScript(pgid: string, graceSec: number, o: TermWaitKillOptions = {}): string {
  if (!/^(\d+|"\$[A-Za-z_][A-Za-z0-9_]*")$/.test(pgid)) throw new Error(`termWaitKillScript: "${pgid}" is not a number or a quoted variable`);
  const steps = Math.max(1, Math.round(graceSec * 10));
  const term = o.termLeaderOnly ? `kill -TERM ${pgid}` : `kill -TERM -- -${pgid}`;
  return (
    `alive() { ps -eo pgid=,stat= 2>/dev/null | awk -v g=${pgid} '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }' || ` +
    `{ ! command -v ps >/dev/null 2>&1 && kill -0 -- -${pgid} 2>/dev/null; }; }; ` +
    `if alive; then ${term} 2>/dev/null || true; i=0; ` +
    `while [ $i -lt ${steps} ] && alive; do sleep 0.1; i=$((i+1)); done; ` +
    `kill -KILL -- -${pgid} 2>/dev/null || true;${o.ifGone ? ` else ${o.ifGone};` : ''} fi; ` +
    `if command -v pkill >/dev/null 2>&1; then pkill -KILL -s ${pgid} 2>/dev/null || true; fi`
  );
}
