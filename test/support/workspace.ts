// A throw-away copy of examples/ for a test run or the demo, so nothing a test does dirties the repo.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './codeServer';

export interface TempWorkspace {
  root: string;
  /** The examples copy to open as the workspace folder. */
  folder: string;
  dispose(): void;
}

/** Copies examples/ to a temp dir and makes it a git repo with a local bare remote (for phases). */
export function makeExamplesWorkspace(): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'airlock-ws-'));
  const folder = join(root, 'examples');
  cpSync(join(repoRoot, 'examples'), folder, { recursive: true });
  initGitWithRemote(folder, join(root, 'remote.git'));
  return { root, folder, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'airlock-test',
      GIT_AUTHOR_EMAIL: 'test@airlock.invalid',
      GIT_COMMITTER_NAME: 'airlock-test',
      GIT_COMMITTER_EMAIL: 'test@airlock.invalid',
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
}

export function initGitWithRemote(folder: string, bare: string): void {
  mkdirSync(bare, { recursive: true });
  git(bare, 'init', '-q', '--bare', '-b', 'main');
  git(folder, 'init', '-q', '-b', 'main');
  git(folder, 'add', '-A');
  git(folder, 'commit', '-q', '-m', 'examples workspace');
  git(folder, 'remote', 'add', 'origin', `file://${bare}`);
  git(folder, 'push', '-q', '-u', 'origin', 'main');
}
