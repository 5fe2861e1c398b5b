export interface WorkerOptions {
  /** The user's clone: commands run here; queue bookkeeping happens in a private worktree. */
  cloneDir: string;
  planPath: string;
  /** This machine's name in claims and runner configs. */
  host: string;
  /** Only these phases (default: the runner's phases, else all). */
  phases?: string[];
  /** Stop after one entry. */
  once?: boolean;
  maxEntries?: number;
  /** GPU memory of this host in GB; detected with nvidia-smi when undefined (no GPU = 0). */
  vramGb?: number;
  leaseSec?: number;
  /** Lease refresh period; default a third of the lease. */
  heartbeatSec?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Pick randomly among the first N eligible entries so many workers rarely race for one. */
  pickWindow?: number;
  /** Wait for other hosts' claims to finish or expire instead of exiting when nothing is free. */
  waitForClaims?: boolean;
  remote?: string;
  branch?: string;
  /** The ref protocol: fold results into the branch once this many wait outside it (default 32). */
  compactEvery?: number;
}

export type WorkerEvent =
  | { type: 'start'; host: string; phases: string[]; skipped: { phase: string; reason: string }[] }
  | { type: 'claimed'; entry: string; phase: string; how: 'new' | 'resume' | 'takeover'; from?: string }
  | { type: 'lost'; entry: string }
  | { type: 'started'; entry: string; command: string }
  | { type: 'output'; entry: string; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'finished'; entry: string; durationMs: number }
  | { type: 'failed'; entry: string; reason: string }
  | { type: 'claim-lost'; entry: string }
  | { type: 'pending'; entry: string; error: string }
  | { type: 'pushed'; entry: string }
  | { type: 'released'; entry: string }
  | { type: 'retry'; what: string; attempt: number; delayMs: number; error: string }
  | { type: 'waiting'; claimedByOthers: number }
  | { type: 'idle'; reason: string }
  /** A run left by an earlier worker of this host (killed with SIGKILL) was still going: stopped. */
  | { type: 'stopped-leftover'; entry: string; pgid: number }
  /** Results held in per-entry refs were folded into the branch (the ref protocol). */
  | { type: 'compacted'; entries: number };

export interface WorkerSummary {
  done: number;
  failed: number;
  lost: number;
  /** Results kept locally because they could not be pushed yet (pushed on the next start). */
  pending: number;
  cancelled: boolean;
}
