// The worker's private state, inside the clone's git directory so neither `git status` nor a reset
// ever touches it: a worktree for queue bookkeeping, command outputs, and results not yet pushed.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import { isAbsolute, join } from 'node:path';
import { git } from './git';
import { stem } from './layout';

export interface PendingFinish {
  entry: string;
  kind: 'finish' | 'fail';
  token: string;
  files: { path: string; from?: string; content?: string }[];
  /** The ref protocol: the commit of the claim it was run under (what the publishing swap expects). */
  oid?: string;
  /** A failure's record (the ref protocol keeps it in the entry ref's message). */
  record?: { host: string; exitCode: number | null; reason: string; failedAt: string };
}

export class WorkerState {
  constructor(readonly root: string) {}

  static async open(cloneDir: string, host: string): Promise<WorkerState> {
    const common = (await git(cloneDir, ['rev-parse', '--git-common-dir'])).stdout.trim();
    const gitDir = isAbsolute(common) ? common : join(cloneDir, common);
    const safe = host.replace(/[^A-Za-z0-9._-]/g, '_');
    const s = new WorkerState(join(gitDir, 'airlock', safe));
    await mkdir(join(s.root, 'out'), { recursive: true });
    await mkdir(join(s.root, 'pending'), { recursive: true });
    return s;
  }

  get worktree(): string {
    return join(this.root, 'queue');
  }

  /** A detached worktree of the clone used only for claims and results. */
  async ensureWorktree(cloneDir: string): Promise<void> {
    if (existsSync(join(this.worktree, '.git'))) return;
    await git(cloneDir, ['worktree', 'prune']);
    await rm(this.worktree, { recursive: true, force: true });
    await git(cloneDir, ['worktree', 'add', '--quiet', '--detach', '--force', this.worktree]);
  }

  resultPath(entry: string): string {
    return join(this.root, 'out', entry);
  }
  logPath(entry: string): string {
    return join(this.root, 'out', `${stem(entry)}.log`);
  }
  envPath(entry: string): string {
    return join(this.root, 'out', `${stem(entry)}.env.txt`);
  }

  async clearOutputs(entry: string): Promise<void> {
    for (const p of [this.resultPath(entry), this.logPath(entry), this.envPath(entry)]) await rm(p, { force: true });
  }

  async savePending(p: PendingFinish): Promise<void> {
    await writeFileAtomic(join(this.root, 'pending', `${p.entry}.pending`), JSON.stringify(p));
  }

  async dropPending(entry: string): Promise<void> {
    await rm(join(this.root, 'pending', `${entry}.pending`), { force: true });
  }

  async listPending(): Promise<PendingFinish[]> {
    const out: PendingFinish[] = [];
    for (const f of await readdir(join(this.root, 'pending'))) {
      if (f.endsWith('.pending')) out.push(JSON.parse(await readFile(join(this.root, 'pending', f), 'utf8')) as PendingFinish);
    }
    return out;
  }
}
