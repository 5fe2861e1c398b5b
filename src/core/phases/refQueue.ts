// The ref protocol: one ref per entry on the remote, `refs/airlock/<branch>/<entry>`, instead of
// one branch every claim and finish must land on. A claim creates the entry's ref (a push with
// `--force-with-lease=<ref>:` — "must not exist" — is a compare-and-swap on that entry alone), a
// lease refresh or takeover swaps it from the commit last seen, a finish swaps it to a commit holding
// the result. Claims of different entries never race, so adding workers adds throughput. Results
// are folded into the branch in batches ("compaction"): different entries' files never conflict,
// and an entry stays done through the fold because its ref keeps the result.
import { readFile } from 'node:fs/promises';
import type { Claim } from './claims';
import { entryRefMessage, readEntryRefs, type EntryRef, type EntryRefKind } from './entryRefs';
import { sleep } from '../process/errors';
import { git, isPushRejected } from './git';
import { layout } from './layout';
import { NetworkError, retryNetwork, type RetryOptions } from './queueRepo';
import { encodeRefPart, queueRefspecs, remoteEntryPrefix, trackingEntryPrefix } from './refNames';
import { emptySnapshot, snapshotFromRef, withEntryRefs, type QueueSnapshot } from './snapshot';
import type { PendingFinish } from './workerState';

/** The remote refused the entry refs themselves (a host that accepts only branches and tags). */
export class RefsRefusedError extends Error {
  override readonly name = 'RefsRefusedError';
}

export interface RefQueueOptions extends RetryOptions {
  /** Any directory of the clone (its git directory holds the fetched refs). */
  dir: string;
  remote?: string;
  branch: string;
  /** Names the commits this worker makes. */
  host: string;
  /** A ref lock on the remote older than this is reported as left behind (default 20 s). */
  staleLockMs?: number;
  /** Fold results into the branch once this many are outside it (default 32). */
  compactEvery?: number;
  random?: () => number;
}

type Update = { ref: string; to?: string; expect: string };

export class RefQueue {
  readonly remote: string;
  readonly branch: string;
  private chain: Promise<unknown> = Promise.resolve();
  private base: { oid: string; snapshot: QueueSnapshot } | undefined;
  /** Entry → the commit of our own claim on it (what the next refresh, finish or release swaps from). */
  private readonly own = new Map<string, string>();
  last: QueueSnapshot | undefined;
  /** The branch tip a fold of ours lost on (another worker's fold landed first). */
  private foldLostOn: string | undefined;

  constructor(private readonly opts: RefQueueOptions) {
    this.remote = opts.remote ?? 'origin';
    this.branch = opts.branch;
  }

  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** One fetch (branch + entry refs, pruned) and one for-each-ref; the branch is re-read only when it moved. */
  async sync(signal?: AbortSignal): Promise<QueueSnapshot> {
    await retryNetwork(this.opts, 'fetch', signal, async () => {
      // No automatic maintenance after every fetch (a process each time): the worker runs `gc --auto` itself now and then.
      const r = await git(
        this.opts.dir,
        ['-c', 'maintenance.auto=false', 'fetch', '--quiet', '--no-tags', '--prune', this.remote, ...queueRefspecs(this.remote, this.branch)],
        { allowFail: true, signal },
      );
      if (r.code !== 0 && !/couldn't find remote ref/i.test(r.stderr)) throw new NetworkError(r.stderr.trim() || `git fetch exited ${r.code}`);
    });
    return this.read(signal);
  }

  /** Packs loose objects and the one-pack-per-result of fast-import when git finds it due (run every few dozen entries). */
  async maintain(signal?: AbortSignal): Promise<void> {
    await git(this.opts.dir, ['gc', '--auto', '--quiet'], { allowFail: true, signal });
  }

  /** The queue as last fetched. */
  async read(signal?: AbortSignal): Promise<QueueSnapshot> {
    const { branchOid, refs } = await readEntryRefs(this.opts.dir, this.remote, this.branch, signal);
    if (!branchOid) this.base = undefined;
    else if (this.base?.oid !== branchOid) this.base = { oid: branchOid, snapshot: await snapshotFromRef(this.opts.dir, branchOid, signal) };
    this.last = withEntryRefs(this.base?.snapshot ?? emptySnapshot(), refs);
    return this.last;
  }

  private ref(entry: string): string {
    return `${remoteEntryPrefix(this.branch)}${encodeRefPart(entry)}`;
  }

  /** Claims `entry`: creates its ref, or (resume, takeover) swaps it from the claim we saw. */
  async claim(entry: string, claim: Claim, signal?: AbortSignal): Promise<boolean> {
    const seen = this.last?.entryRefs?.get(entry);
    // Only a claim may be swapped for ours; a result or failure that appeared means the entry is over.
    if (seen && seen.kind !== 'claim') return false;
    const oid = await this.commit('claim', entry, claim, signal);
    if (!(await this.push([{ ref: this.ref(entry), to: oid, expect: seen?.oid ?? '' }], signal))) return false;
    this.own.set(entry, oid);
    return true;
  }

  ownClaim(entry: string): string | undefined {
    return this.own.get(entry);
  }

  /** Refreshes our lease; false when the ref is no longer our claim (taken over, released). */
  async renew(entry: string, next: Claim, signal?: AbortSignal): Promise<boolean> {
    const mine = this.own.get(entry);
    if (!mine) return false;
    const oid = await this.commit('claim', entry, next, signal);
    if (!(await this.push([{ ref: this.ref(entry), to: oid, expect: mine }], signal))) return false;
    this.own.set(entry, oid);
    return true;
  }

  /** Removes our claim (SIGINT/SIGTERM), unless the ref moved on. */
  async release(entry: string, signal?: AbortSignal): Promise<boolean> {
    const mine = this.own.get(entry);
    if (!mine) return false;
    const ok = await this.push([{ ref: this.ref(entry), expect: mine }], signal);
    this.own.delete(entry);
    return ok;
  }

  /**
   * Publishes a result or failure as the entry's ref. The first result wins: a result stands
   * against everything but another result (as on the branch protocol, a run that completed after a
   * takeover still counts); a failure only replaces our own claim.
   */
  async finish(p: PendingFinish, signal?: AbortSignal): Promise<'pushed' | 'skipped'> {
    const files = await Promise.all(p.files.map(async (f) => ({ path: f.path, data: f.from ? await readFile(f.from) : Buffer.from(f.content ?? '') })));
    const record = p.kind === 'finish' ? { host: this.opts.host, token: p.token, finishedAt: new Date().toISOString() } : { ...p.record, token: p.token };
    const oid = await this.importCommit(entryRefMessage(p.kind === 'finish' ? 'done' : 'failed', p.entry, record), files, undefined, signal);
    let expect = this.own.get(p.entry) ?? p.oid ?? this.last?.entryRefs?.get(p.entry)?.oid ?? '';
    for (let attempt = 0; ; attempt++) {
      if (await this.push([{ ref: this.ref(p.entry), to: oid, expect }], signal)) {
        this.own.delete(p.entry);
        return 'pushed';
      }
      const now = await this.readOne(p.entry, signal);
      if (now?.kind === 'done') return 'skipped';
      if (p.kind === 'fail' && !(now?.kind === 'claim' && now.claim?.token === p.token)) return 'skipped';
      expect = now?.oid ?? '';
      // Each round is a swap against a freshly read value: it only repeats while the ref keeps changing.
      if (attempt > 50) throw new Error(`could not publish ${p.entry}: its ref keeps changing on the remote`);
    }
  }

  /** Deletes entry refs that still point where they did (admin: release stale claims, requeue failures); the entries deleted. */
  async deleteRefs(refs: { entry: string; oid: string }[], signal?: AbortSignal): Promise<string[]> {
    if (!refs.length) return [];
    let out = '';
    await retryNetwork(this.opts, 'push', signal, async () => {
      const r = await git(
        this.opts.dir,
        [
          'push',
          '--porcelain',
          ...refs.map((x) => `--force-with-lease=${this.ref(x.entry)}:${x.oid}`),
          this.remote,
          ...refs.map((x) => `:${this.ref(x.entry)}`),
        ],
        { allowFail: true, signal },
      );
      if (r.code !== 0 && !/^[!-]\t/m.test(r.stdout)) throw new NetworkError(r.stderr.trim() || `git push exited ${r.code}`);
      out = r.stdout;
    });
    const deleted = new Set(
      out
        .split('\n')
        .filter((l) => l.startsWith('-\t'))
        .map((l) => l.split('\t')[1]!.slice(1)),
    );
    return refs.filter((x) => deleted.has(this.ref(x.entry))).map((x) => x.entry);
  }

  /** Whether the remote takes entry refs: creates and deletes a probe ref (hosts that accept only branches and tags refuse it). */
  async probe(signal?: AbortSignal): Promise<true | string> {
    const ref = `${remoteEntryPrefix(this.branch)}%2Eprobe`;
    const oid = await this.commit('claim', '.probe', { host: this.opts.host }, signal);
    try {
      await this.push([{ ref, to: oid, expect: '' }], signal);
    } catch (err) {
      if (err instanceof RefsRefusedError) return err.message;
      throw err;
    }
    await this.push([{ ref, expect: oid }], signal);
    return true;
  }

  /** Uncompacted results and failures: fold them into the branch when there are enough (or `all`). */
  shouldCompact(all = false): boolean {
    const n = this.last?.uncompacted?.length ?? 0;
    // Lost the fold on this branch tip: someone else folded; wait until a fetch shows their commit.
    if (!all && this.base && this.base.oid === this.foldLostOn) return false;
    const every = this.opts.compactEvery ?? 32;
    if (all) return n > 0;
    // Many workers see the same count: a random few try, one lands, the rest read the new branch.
    return n >= every && (n >= 2 * every || (this.opts.random ?? Math.random)() < 0.25);
  }

  /** Folds uncompacted results into the branch as one fast-forward commit; the count folded (0: lost the race). */
  async compact(signal?: AbortSignal): Promise<number> {
    const s = this.last;
    const base = this.base;
    if (!s?.uncompacted?.length || !base) return 0;
    const batch = s.uncompacted.slice(0, 2000);
    const specs: { entry: string; ref: EntryRef; path: string }[] = [];
    for (const entry of batch) {
      const ref = s.entryRefs!.get(entry)!;
      const paths = ref.kind === 'done' ? [layout.result(entry), layout.log(entry), layout.env(entry)] : [layout.failed(entry), layout.failedLog(entry)];
      for (const path of paths) specs.push({ entry, ref, path });
    }
    const check = await git(this.opts.dir, ['cat-file', '--batch-check'], { signal, input: specs.map((x) => `${x.ref.oid}:${x.path}`).join('\n') + '\n' });
    const lines = check.stdout.split('\n');
    const files: { path: string; oid: string }[] = [];
    specs.forEach((x, i) => {
      const m = /^([0-9a-f]{40,64}) blob /.exec(lines[i] ?? '');
      if (m) files.push({ path: x.path, oid: m[1]! });
    });
    const deletes: string[] = [];
    for (const entry of batch) {
      // Claim files of branch-protocol workers (before a migration) end with their entry; a done entry drops its failure.
      if (base.snapshot.claims.has(entry)) deletes.push(layout.claim(entry));
      if (s.entryRefs!.get(entry)!.kind === 'done' && base.snapshot.failed.has(entry)) deletes.push(layout.failed(entry), layout.failedLog(entry));
    }
    const oid = await this.importCommit(`compact ${batch.length} entr${batch.length === 1 ? 'y' : 'ies'}`, files, { from: base.oid, deletes }, signal);
    let pushed = false;
    await retryNetwork(this.opts, 'push', signal, async () => {
      const r = await git(this.opts.dir, ['push', '--porcelain', this.remote, `${oid}:refs/heads/${this.branch}`], { allowFail: true, signal });
      if (r.code === 0) pushed = true;
      else if (!isPushRejected(r) && !/\[rejected\]/.test(r.stdout)) throw new NetworkError(r.stderr.trim() || `git push exited ${r.code}`);
    });
    if (!pushed) this.foldLostOn = base.oid;
    return pushed ? batch.length : 0;
  }

  /** The entry's ref on the remote now (undefined: none). */
  private async readOne(entry: string, signal?: AbortSignal): Promise<EntryRef | undefined> {
    const tracking = `${trackingEntryPrefix(this.remote, this.branch)}${encodeRefPart(entry)}`;
    await retryNetwork(this.opts, 'fetch', signal, async () => {
      const r = await git(this.opts.dir, ['fetch', '--quiet', '--no-tags', this.remote, `+${this.ref(entry)}:${tracking}`], { allowFail: true, signal });
      if (r.code === 0) return;
      if (/couldn't find remote ref/i.test(r.stderr)) await git(this.opts.dir, ['update-ref', '-d', tracking], { signal });
      else throw new NetworkError(r.stderr.trim() || `git fetch exited ${r.code}`);
    });
    return (await readEntryRefs(this.opts.dir, this.remote, this.branch, signal)).refs.get(entry);
  }

  /**
   * Swaps refs on the remote: true, or false only when the remote said a ref holds something else
   * than we expected (a lost race). Two other outcomes are not a lost race and are retried: a ref
   * lock held by another push to the same ref at that instant (git's `Unable to create '….lock':
   * File exists` — the ref is unchanged; reading it as "lost" made an owner drop a claim it still
   * held, and the entry ran again after its lease ran out), and a network error after which an
   * attempt may have landed (checked with `ls-remote`: a swap to what we pushed is ours).
   */
  private async push(updates: Update[], signal?: AbortSignal): Promise<boolean> {
    let uncertain = false;
    const opts = {
      ...this.opts,
      onRetry: (what: string, attempt: number, delayMs: number, err: Error) => {
        uncertain = true;
        this.opts.onRetry?.(what, attempt, delayMs, err);
      },
    };
    let busySince: number | undefined;
    for (let attempt = 0; ; attempt++) {
      let outcome = 'moved' as ReturnType<typeof classifyPush>;
      await retryNetwork(opts, 'push', signal, async () => {
        const r = await git(
          this.opts.dir,
          [
            'push',
            '--porcelain',
            ...updates.map((u) => `--force-with-lease=${u.ref}:${u.expect}`),
            this.remote,
            ...updates.map((u) => `${u.to ?? ''}:${u.ref}`),
          ],
          { allowFail: true, signal },
        );
        outcome = classifyPush(r);
        if (outcome !== 'network') return;
        if (/\[remote rejected\]/.test(r.stdout))
          throw new RefsRefusedError(
            `the remote refused ${updates[0]!.ref}: ${r.stdout
              .split('\n')
              .find((l) => l.includes('[remote rejected]'))
              ?.trim()} — this queue's refs need a remote that accepts refs outside branches and tags; regenerate it on the branch protocol (airlock phases generate --protocol branch)`,
          );
        throw new NetworkError(r.stderr.trim() || `git push exited ${r.code}`);
      });
      if (outcome === 'ok') return true;
      if (outcome === 'moved') {
        if (!uncertain || updates.length !== 1) return false;
        // An earlier attempt may have landed before its answer was lost: then the ref holds ours.
        const now = await this.remoteOid(updates[0]!.ref, signal);
        return now === (updates[0]!.to ?? '');
      }
      busySince ??= Date.now();
      const limit = this.opts.staleLockMs ?? 20_000;
      // A lock that stays was left by a push that died on the remote: only a person can tell it is safe to remove.
      if (Date.now() - busySince > limit)
        throw new Error(
          `a ref on the remote has been locked for ${Math.round(limit / 1000)} s (${updates.map((u) => `${u.ref}.lock`).join(', ')} exists): a push that died there left it behind — remove that file on the remote if no git process is using it; nothing was lost here`,
        );
      const delay = Math.round(Math.min(50 * 2 ** Math.min(attempt, 4), 800) * (0.5 + (this.opts.random ?? Math.random)()));
      this.opts.onRetry?.('push', attempt + 1, delay, new Error(`another push holds the lock of ${updates.map((u) => u.ref).join(', ')} on the remote`));
      await sleep(delay, signal);
    }
  }

  /** What `ref` points to on the remote now ('' when it does not exist); retries network errors. */
  private async remoteOid(ref: string, signal?: AbortSignal): Promise<string> {
    let oid = '';
    await retryNetwork(this.opts, 'fetch', signal, async () => {
      const r = await git(this.opts.dir, ['ls-remote', this.remote, ref], { allowFail: true, signal });
      if (r.code !== 0) throw new NetworkError(r.stderr.trim() || `git ls-remote exited ${r.code}`);
      oid =
        r.stdout
          .split('\n')
          .find((l) => l.endsWith(`\t${ref}`))
          ?.split('\t')[0] ?? '';
    });
    return oid;
  }

  private identity(): Record<string, string> {
    const name = this.opts.host.replace(/[<>\n]/g, '_') || 'airlock';
    return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: 'airlock@localhost', GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: 'airlock@localhost' };
  }

  /** A claim: a commit of the empty tree whose message holds the claim (one git process). */
  private async commit(kind: EntryRefKind, entry: string, record: object, signal?: AbortSignal): Promise<string> {
    const emptyTree = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
    const r = await git(this.opts.dir, ['commit-tree', emptyTree, '-m', entryRefMessage(kind, entry, record).trimEnd()], { signal, env: this.identity() });
    return r.stdout.trim();
  }

  /** A commit of `files` (inline bytes or existing blobs) in one `git fast-import`; returns its id. */
  private async importCommit(
    message: string,
    files: ({ path: string; data: Buffer } | { path: string; oid: string })[],
    on: { from: string; deletes: string[] } | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    const id = this.identity();
    const chunks: Buffer[] = [];
    const put = (s: string | Buffer) => chunks.push(typeof s === 'string' ? Buffer.from(s, 'utf8') : s);
    const msg = Buffer.from(message, 'utf8');
    put(
      `commit refs/airlock-local/${encodeRefPart(this.opts.host)}/import\nmark :1\ncommitter ${id.GIT_COMMITTER_NAME} <${id.GIT_COMMITTER_EMAIL}> now\ndata ${msg.length}\n`,
    );
    put(msg);
    put('\n');
    if (on) put(`from ${on.from}\n`);
    for (const d of on?.deletes ?? []) put(`D ${d}\n`);
    for (const f of files) {
      if ('oid' in f) put(`M 100644 ${f.oid} ${f.path}\n`);
      else {
        put(`M 100644 inline ${f.path}\ndata ${f.data.length}\n`);
        put(f.data);
        put('\n');
      }
    }
    put('\nget-mark :1\n');
    const r = await git(this.opts.dir, ['fast-import', '--quiet', '--force', '--date-format=now'], { signal, input: Buffer.concat(chunks) });
    return r.stdout.trim().split('\n').at(-1)!;
  }
}

/**
 * What a `git push --porcelain` of ref swaps says: `ok`; `moved` (the remote or its advertisement
 * holds another value than expected — a lost compare-and-swap); `busy` (another git process holds
 * the ref's lock, or packed-refs', on the remote: nothing changed, try again); `network` (anything
 * else: unreachable, refused).
 */
export function classifyPush(r: { code: number; stdout: string; stderr: string }): 'ok' | 'moved' | 'busy' | 'network' {
  if (r.code === 0) return 'ok';
  const all = `${r.stdout}\n${r.stderr}`;
  if (/Unable to create '[^']+\.lock': File exists/.test(all) && !/is at [0-9a-f]+ but expected|reference already exists/.test(all)) return 'busy';
  if (/\[rejected\]|\(stale info\)|failed to update ref|cannot lock ref|incorrect old value|reference already exists/i.test(all)) return 'moved';
  return 'network';
}
