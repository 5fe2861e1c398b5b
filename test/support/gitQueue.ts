// A phase queue on a real bare git repository in a temp dir: a seed clone holding the plan, and
// one clone per worker. Also the "network": the remote can be made unreachable and restored.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRefPart } from '../../src/core/phases/refNames';

export interface GitQueue {
  dir: string;
  remote: string;
  seed: string;
  clone(name: string): string;
  git(cwd: string, ...args: string[]): string;
  /** Paths on the remote's main branch under `sub`. */
  remoteFiles(sub: string): string[];
  remoteFile(path: string): string;
  /** Entry refs of the ref protocol on the remote: entry → what its ref holds. */
  remoteRefs(): Map<string, 'claim' | 'done' | 'failed'>;
  /** Entries claimed on the remote, on either protocol (claim files on the branch, claim refs). */
  remoteClaims(): string[];
  /** Puts a claim on the remote the way the queue's protocol does (a claim file, or the entry's ref). */
  plantClaim(entry: string, claim: object, protocol: 'refs' | 'branch'): void;
  /**
   * Stages a lost race: the next claim push that reaches the remote finds `claim` landed on its
   * ref a moment before (a pre-receive hook moves the ref, so git refuses the push as a real race
   * does: `cannot lock ref … is at … but expected …`). One push only.
   */
  stageLostRace(entry: string, claim: object, protocol: 'refs' | 'branch'): void;
  /** Removes a claim from the remote the way a release does on the protocol (the claim file, or the entry's ref). */
  dropClaim(entry: string, protocol: 'refs' | 'branch'): void;
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
  const withClone = (fn: (other: string) => void) => {
    const other = join(dir, `planter-${Math.random().toString(36).slice(2)}`);
    git(dir, 'clone', '-q', remote, other);
    try {
      fn(other);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  };
  /** A commit that claims `entry` the way the protocol does, on top of the remote's main for the branch protocol. */
  const claimCommit = (other: string, entry: string, claim: object, protocol: 'refs' | 'branch') => {
    if (protocol === 'refs') {
      const oid = git(other, 'commit-tree', '4b825dc642cb6eb9a060e54bf8d69288fbee4904', '-m', `claim ${entry}\n\n${JSON.stringify(claim)}`).trim();
      return { oid, ref: `refs/airlock/main/${encodeRefPart(entry)}` };
    }
    mkdirSync(join(other, 'data/runs/claims'), { recursive: true });
    writeFileSync(join(other, `data/runs/claims/${entry}.claim`), `${JSON.stringify(claim, null, 2)}\n`);
    git(other, 'add', '.');
    git(other, 'commit', '-q', '-m', `claim ${entry}`);
    return { oid: git(other, 'rev-parse', 'HEAD').trim(), ref: 'refs/heads/main' };
  };
  return {
    dir,
    remote,
    seed,
    git,
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
    remoteRefs() {
      const out = git(remote, 'for-each-ref', '--format=%(refname)%00%(contents:subject)', 'refs/airlock/main/');
      const refs = new Map<string, 'claim' | 'done' | 'failed'>();
      for (const line of out.split('\n').filter(Boolean)) {
        const [name, subject] = line.split('\0');
        refs.set(decodeURIComponent(name!.slice('refs/airlock/main/'.length)), subject!.split(' ')[0] as 'claim');
      }
      return refs;
    },
    remoteClaims() {
      const files = git(remote, 'ls-tree', '-r', '-z', '--name-only', 'main', '--', 'data/runs/claims').split('\0').filter(Boolean);
      const refs = [...this.remoteRefs()].filter(([, k]) => k === 'claim').map(([e]) => e);
      return [...files.map((f) => f.slice('data/runs/claims/'.length, -'.claim'.length)), ...refs].sort();
    },
    plantClaim(entry, claim, protocol) {
      withClone((other) => {
        const { oid, ref } = claimCommit(other, entry, claim, protocol);
        git(other, 'push', '-q', 'origin', `${oid}:${ref}`);
      });
    },
    stageLostRace(entry, claim, protocol) {
      withClone((other) => {
        const { oid } = claimCommit(other, entry, claim, protocol);
        git(other, 'push', '-q', 'origin', `${oid}:refs/staged/claim`);
        writeFileSync(join(remote, 'staged-claim'), `${oid}\n`);
      });
      // Inside pre-receive the refs are off limits (quarantine); outside it the staged commit is already in the store.
      const hook = join(remote, 'hooks/pre-receive');
      writeFileSync(
        hook,
        [
          '#!/bin/sh',
          'while read old new ref; do',
          '  [ -s "$GIT_DIR/staged-claim" ] || exit 0',
          '  case "$(git log -1 --format=%s "$new" 2>/dev/null)" in claim*) ;; *) continue ;; esac',
          '  z=$(cat "$GIT_DIR/staged-claim"); rm -f "$GIT_DIR/staged-claim"',
          '  env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref "$ref" "$z" "$old" || exit 1',
          'done',
          'exit 0',
          '',
        ].join('\n'),
      );
      chmodSync(hook, 0o755);
    },
    dropClaim(entry, protocol) {
      if (protocol === 'refs') {
        git(remote, 'update-ref', '-d', `refs/airlock/main/${encodeRefPart(entry)}`);
        return;
      }
      withClone((other) => {
        git(other, 'rm', '-q', `data/runs/claims/${entry}.claim`);
        git(other, 'commit', '-q', '-m', `release ${entry}`);
        git(other, 'push', '-q', 'origin', 'HEAD:main');
      });
    },
    disconnect: () => renameSync(remote, `${remote}.away`),
    reconnect: () => renameSync(`${remote}.away`, remote),
    dispose: () => (process.env.AIRLOCK_KEEP_QUEUE ? console.log(`kept ${dir}`) : rmSync(dir, { recursive: true, force: true })),
  };
}
