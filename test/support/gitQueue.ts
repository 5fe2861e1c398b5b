// A phase queue on a real bare git repository in a temp dir: a seed clone holding the plan, and
// one clone per worker. Also the "network": the remote can be made unreachable and restored.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitQueue {
  dir: string;
  remote: string;
  seed: string;
  clone(name: string): string;
  git(cwd: string, ...args: string[]): string;
  /** Paths on the remote's main branch under `sub`. */
  remoteFiles(sub: string): string[];
  remoteFile(path: string): string;
  disconnect(): void;
  reconnect(): void;
  dispose(): void;
}

const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };

export function makeGitQueue(plan: unknown): GitQueue {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-queue-'));
  const remote = join(dir, 'remote.git');
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
  const seed = join(dir, 'seed');
  git(dir, 'clone', '-q', remote, seed);
  git(seed, 'checkout', '-q', '-b', 'main');
  mkdirSync(join(seed, '.airlock'));
  writeFileSync(join(seed, '.airlock/phases.json'), JSON.stringify(plan, null, 2));
  git(seed, 'add', '.');
  git(seed, 'commit', '-q', '-m', 'plan');
  git(seed, 'push', '-q', 'origin', 'main');
  return {
    dir, remote, seed, git,
    clone(name) {
      const p = join(dir, name);
      git(dir, 'clone', '-q', remote, p);
      return p;
    },
    remoteFiles(sub) {
      // NUL-separated: names git would quote (non-ASCII, quotes, tabs) come back as they are.
      return git(remote, 'ls-tree', '-r', '-z', '--name-only', 'main', '--', sub).split('\0').filter(Boolean);
    },
    remoteFile(path) {
      return git(remote, 'show', `main:${path}`);
    },
    disconnect: () => renameSync(remote, `${remote}.away`),
    reconnect: () => renameSync(`${remote}.away`, remote),
    dispose: () => (process.env.AIRLOCK_KEEP_QUEUE ? console.log(`kept ${dir}`) : rmSync(dir, { recursive: true, force: true })),
  };
}
