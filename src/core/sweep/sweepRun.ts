// One sweep run as the editor tracks it, folded from the core's events: cases with their state
// and roles (host, PID, elapsed), the files written, and a Live Logs stream per role.
import type { CaseState, RoleState, SweepEvent } from './sweepEvents';

export interface RoleView {
  role: string;
  host: string;
  state: RoleState | 'pending';
  pid?: number;
  startedAt?: number;
  endedAt?: number;
  reason?: string;
  streamId?: string;
}

export interface CaseView {
  index: number;
  name: string;
  tag: string;
  state: CaseState;
  reason?: string;
  startedAt?: number;
  endedAt?: number;
  roles: RoleView[];
}

export class SweepRun {
  readonly id: string;
  mode = '';
  runTag = '';
  localRoot = '';
  dryRun = false;
  cases: CaseView[] = [];
  files: { path: string; kind: string }[] = [];
  state: 'running' | 'done' | 'failed' | 'cancelled' = 'running';
  readonly startedAt = Date.now();
  endedAt?: number;
  error?: string;
  jobId?: string;
  transcriptStreamId?: string;
  /** The role running in the foreground right now (for the status bar). */
  current?: { caseIndex: number; role: string };

  constructor(
    readonly configPath: string,
    seq: number,
  ) {
    this.id = `sweep-${seq}`;
  }

  caseAt(index: number, name: string, tag: string): CaseView {
    let c = this.cases.find((x) => x.index === index);
    if (!c) {
      c = { index, name, tag, state: 'pending', roles: [] };
      this.cases.push(c);
      this.cases.sort((a, b) => a.index - b.index);
    }
    return c;
  }

  /** Applies an event; returns the role whose log line it is, for the caller to stream. */
  apply(e: SweepEvent): RoleView | undefined {
    switch (e.type) {
      case 'plan':
        this.mode = e.mode;
        this.runTag = e.runTag;
        this.localRoot = e.localRoot;
        this.dryRun = e.dryRun;
        for (const pc of [...(e.shared ? [e.shared] : []), ...e.cases]) {
          const c = this.caseAt(pc.caseIndex, pc.caseName, pc.caseTag);
          c.roles = pc.roles.map((r) => ({ role: r.role, host: r.host, state: 'pending' }));
        }
        return undefined;
      case 'case': {
        const c = this.caseAt(e.caseIndex, e.caseName, e.caseTag);
        c.state = e.state;
        c.reason = e.reason;
        if (e.state === 'starting' && !c.startedAt) c.startedAt = e.at;
        if (e.state === 'done' || e.state === 'failed') c.endedAt = e.at;
        return undefined;
      }
      case 'role': {
        const c = this.caseAt(e.caseIndex, e.caseName, e.caseTag);
        let r = c.roles.find((x) => x.role === e.role);
        if (!r) c.roles.push((r = { role: e.role, host: e.host, state: 'pending' }));
        Object.assign(r, {
          state: e.state,
          host: e.host,
          ...(e.pid !== undefined ? { pid: e.pid } : {}),
          ...(e.startedAt ? { startedAt: e.startedAt } : {}),
          ...(e.reason ? { reason: e.reason } : {}),
        });
        if (e.state === 'running' || e.state === 'starting') this.current = { caseIndex: e.caseIndex, role: e.role };
        if (['stopped', 'exited', 'failed'].includes(e.state)) r.endedAt = e.at;
        return r;
      }
      case 'log': {
        const c = this.caseAt(e.caseIndex, e.caseName, e.caseTag);
        return c.roles.find((x) => x.role === e.role);
      }
      case 'file':
        this.files.push({ path: e.path, kind: e.kind });
        return undefined;
      case 'end':
        this.state = e.cancelled ? 'cancelled' : e.cases.some((c) => c.state === 'failed') ? 'failed' : 'done';
        this.endedAt = e.at;
        this.current = undefined;
        return undefined;
      case 'output':
        return undefined;
    }
  }

  get realCases(): CaseView[] {
    return this.cases.filter((c) => c.index >= 0);
  }

  get progress(): { done: number; total: number; current?: CaseView } {
    const real = this.realCases;
    const done = real.filter((c) => c.state === 'done' || c.state === 'failed').length;
    const current = real.find((c) => c.state === 'starting' || c.state === 'running' || c.state === 'collecting');
    return { done, total: real.length, current };
  }

  matrixFiles(): string[] {
    return this.files
      .filter((f) => f.kind === 'sweep-matrix' || f.kind === 'tradeoff-matrix')
      .map((f) => f.path)
      .filter((p) => p.endsWith('.csv'));
  }
}
