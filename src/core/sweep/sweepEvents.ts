// What a running sweep reports, for the editor (sidebar tree, Live Logs, status bar) and the CLI.
// Events are plain data; `at` is Date.now() when it happened.

export type CaseState = 'pending' | 'starting' | 'running' | 'collecting' | 'done' | 'failed';
export type RoleState = 'starting' | 'running' | 'stopping' | 'stopped' | 'exited' | 'failed';

/** Which case an event belongs to; the shared roles of a queue run use caseIndex -1 and caseTag `<run_tag>_shared`. */
export interface CaseRef {
  caseIndex: number;
  caseName: string;
  caseTag: string;
}

export interface PlannedCase extends CaseRef {
  /** Background roles in start order, then the foreground role. */
  roles: { role: string; host: string; foreground: boolean }[];
}

export type SweepEvent =
  | {
      type: 'plan';
      at: number;
      mode: 'queue' | 'sequenced';
      runTag: string;
      localRoot: string;
      resultsRoot: string;
      dryRun: boolean;
      cases: PlannedCase[];
      shared: PlannedCase | null;
    }
  | ({ type: 'case'; at: number; state: CaseState; reason?: string } & CaseRef)
  | ({
      type: 'role';
      at: number;
      role: string;
      /** The host as written in the config (alias or address). */
      host: string;
      state: RoleState;
      /** Remote PID (= process group id for background roles); set from `running` on. */
      pid?: number;
      startedAt?: number;
      exitCode?: number | null;
      reason?: string;
    } & CaseRef)
  /** One line of a role's remote log, tailed live (`tail -F`) while the role runs. */
  | ({ type: 'log'; at: number; role: string; host: string; line: string } & CaseRef)
  /** The controller's transcript: the lines the original printed (`[sweep] $ ssh ...`, `STARTED ...`). */
  | { type: 'output'; at: number; line: string; /** A problem with the config, not transcript: the CLI prints it on stderr. */ warning?: true }
  /** Files written locally (summaries, matrices, config_used.json, latency breakdowns). */
  | { type: 'file'; at: number; path: string; kind: 'config' | 'summary' | 'sweep-matrix' | 'tradeoff-matrix' | 'latency' | 'log' | 'placeholder' }
  | { type: 'end'; at: number; cancelled: boolean; cases: CaseOutcome[] };

export interface CaseOutcome extends CaseRef {
  state: 'done' | 'failed' | 'pending';
  reason?: string;
}

export type SweepEventListener = (event: SweepEvent) => void;
