// Process groups this test process started, killed on every way out (normal exit, a thrown error,
// Ctrl+C), so a failing or interrupted run never leaves code-server or Chromium behind on the
// shared 2-core machine.
const groups = new Set<number>();
let hooked = false;

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const g of groups) killGroup(g, 'SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const g of groups) killGroup(g, 'SIGKILL');
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Remember a detached child's process group; it is killed when this process ends. */
export function trackGroup(pgid: number): void {
  hook();
  groups.add(pgid);
}

/** Kill a tracked group: SIGTERM, then SIGKILL if anything survives `graceMs`. */
export async function stopGroup(pgid: number, graceMs = 3000): Promise<void> {
  killGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupAlive(pgid)) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
  groups.delete(pgid);
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
