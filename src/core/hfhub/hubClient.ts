// The Hugging Face Hub through its official client (@huggingface/hub, loaded lazily so neither
// the extension nor a command that does not touch the Hub pays for it): a private repo made when
// missing, a file committed from disk (LFS, multipart for large files — the library decides), the
// remote's sha256 of a path (what "confirmed" means), downloads with Range for resuming. Every
// call retries what the Hub says is worth retrying (429 after its Retry-After, 5xx, a dropped
// connection); 401/403 are said at once, with what to do.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { stat, rename } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { sleep } from '../process/errors';

export type HubRepoType = 'model' | 'dataset';

export interface HubOptions {
  accessToken: string;
  /** Default https://huggingface.co; tests point it at a fake. */
  hubUrl?: string;
  retries?: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
}

export interface HubEntry {
  path: string;
  size: number;
  /** sha256 for LFS files; undefined for regular (git) files. */
  sha256?: string;
  gitOid: string;
}

export class HubError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

type HubLib = typeof import('@huggingface/hub');
let lib: Promise<HubLib> | undefined;
const loadHub = () => (lib ??= import('@huggingface/hub'));

export class HubApi {
  /** Retry-After of the last 429, seen through our fetch (the library's error does not carry headers). */
  private retryAfterMs = 0;
  private readonly fetch: typeof fetch;

  constructor(private readonly o: HubOptions) {
    if (!o.accessToken.startsWith('hf_')) throw new HubError('a Hugging Face token starts with "hf_" — check HF_TOKEN or the token file');
    this.fetch = async (input, init) => {
      const res = await fetch(input, { ...init, ...(o.signal ? { signal: o.signal } : {}) });
      if (res.status === 429) this.retryAfterMs = Math.max(0, Number(res.headers.get('retry-after') ?? '1')) * 1000;
      return res;
    };
  }

  private get base() {
    return { accessToken: this.o.accessToken, ...(this.o.hubUrl ? { hubUrl: this.o.hubUrl } : {}), fetch: this.fetch };
  }

  private async call<T>(what: string, fn: (h: HubLib) => Promise<T>, recover?: () => Promise<T | undefined>): Promise<T> {
    const h = await loadHub();
    const retries = this.o.retries ?? 5;
    for (let attempt = 1; ; attempt++) {
      this.retryAfterMs = 0;
      try {
        return await fn(h);
      } catch (err) {
        if (this.o.signal?.aborted) throw err;
        const status = (err as { statusCode?: number }).statusCode;
        const msg = (err as Error).message.replace(/\. URL: .*$/, '');
        if (status === 401) throw new HubError(`${what}: the Hub refused the token (401) — set HF_TOKEN to a valid token with write access`, 401);
        if (status === 403) throw new HubError(`${what}: the token may not do this (403: ${msg}) — use a token with "write" role for this namespace`, 403);
        const retryable = status === undefined || status === 429 || status >= 500;
        if (!retryable || attempt > retries) throw new HubError(`${what} failed${status ? ` (${status})` : ''} after ${attempt} attempt(s): ${msg}`, status);
        const wait = status === 429 ? Math.max(this.retryAfterMs, 200) : (this.o.retryDelayMs ?? 500) * 2 ** (attempt - 1);
        await sleep(wait, this.o.signal);
        // A commit whose answer was lost may still have happened: look before committing again.
        const done = recover ? await recover().catch(() => undefined) : undefined;
        if (done !== undefined) return done;
      }
    }
  }

  /** Creates the repo (private) when it does not exist. */
  async ensureRepo(repo: string, type: HubRepoType = 'model'): Promise<void> {
    const exists = await this.call(`checking ${repo}`, (h) => h.repoExists({ ...this.base, repo: { type, name: repo } }));
    if (exists) return;
    await this.call(`creating ${repo}`, async (h) => {
      try {
        await h.createRepo({ ...this.base, repo: { type, name: repo }, private: true });
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode !== 409) throw e;
      }
    });
  }

  /** What the Hub holds at `path` (main), or undefined. */
  async entry(repo: string, path: string, type: HubRepoType = 'model', revision = 'main'): Promise<HubEntry | undefined> {
    const list = await this.call(`looking up ${path}`, (h) => h.pathsInfo({ ...this.base, repo: { type, name: repo }, paths: [path], revision }));
    const e = list.find((x) => x.path === path && x.type === 'file');
    return e ? { path: e.path, size: e.size, gitOid: e.oid ?? '', ...(e.lfs ? { sha256: e.lfs.oid } : {}) } : undefined;
  }

  async list(repo: string, type: HubRepoType = 'model', revision = 'main'): Promise<HubEntry[]> {
    return this.call(`listing ${repo}`, async (h) => {
      const out: HubEntry[] = [];
      for await (const e of h.listFiles({ ...this.base, repo: { type, name: repo }, recursive: true, revision }))
        if (e.type === 'file') out.push({ path: e.path, size: e.size, gitOid: e.oid ?? '', ...(e.lfs ? { sha256: e.lfs.oid } : {}) });
      return out;
    });
  }

  /** The commit sha a revision (branch, tag, sha) points at. */
  async resolveRevision(repo: string, type: HubRepoType, revision: string): Promise<string> {
    return this.call(`resolving ${repo}@${revision}`, async (h) => {
      const info = type === 'dataset' ? await h.datasetInfo({ ...this.base, name: repo, revision }) : await h.modelInfo({ ...this.base, name: repo, revision });
      return (info as { sha?: string }).sha ?? revision;
    });
  }

  /** Commits one file from disk (streamed from the file, never read whole into memory). */
  async uploadFile(
    repo: string,
    localPath: string,
    remotePath: string,
    o: { onProgress?: (fraction: number) => void; title?: string; sha256?: string } = {},
  ): Promise<string> {
    const recover = o.sha256 ? async () => ((await this.entry(repo, remotePath))?.sha256 === o.sha256 ? 'already-committed' : undefined) : undefined;
    return this.call(
      `uploading ${remotePath}`,
      async (h) => {
        let commit = '';
        const it = h.uploadFilesWithProgress({
          ...this.base,
          repo: { type: 'model', name: repo },
          files: [{ path: remotePath, content: pathToFileURL(localPath) }],
          commitTitle: o.title ?? `airlock sync: ${remotePath}`,
          useXet: false,
          ...(this.o.signal ? { abortSignal: this.o.signal } : {}),
        });
        for (;;) {
          const r = await it.next();
          if (r.done) {
            commit = r.value?.commit.oid ?? '';
            break;
          }
          if (r.value.event === 'fileProgress' && r.value.state === 'uploading') o.onProgress?.(r.value.progress);
        }
        return commit;
      },
      recover,
    );
  }

  /** Downloads `path` to `dest`, resuming `dest.part` with a Range request; returns its sha256. */
  async download(repo: string, path: string, dest: string, o: { type?: HubRepoType; revision?: string } = {}): Promise<{ sha256: string; bytes: number }> {
    const type = o.type ?? 'model';
    const part = `${dest}.part`;
    return this.call(`downloading ${path}`, async (h) => {
      const blob = await h.downloadFile({ ...this.base, repo: { type, name: repo }, path, revision: o.revision ?? 'main', xet: false });
      if (!blob) throw Object.assign(new Error(`${path} is not in ${repo}`), { statusCode: 404 });
      const have = await stat(part).then(
        (s) => (s.size <= blob.size ? s.size : 0),
        () => 0,
      );
      const hash = createHash('sha256');
      if (have > 0) {
        const { createReadStream } = await import('node:fs');
        for await (const c of createReadStream(part)) hash.update(c as Buffer);
      }
      const out = createWriteStream(part, { flags: have > 0 ? 'a' : 'w' });
      let bytes = 0;
      try {
        const rest = have > 0 ? blob.slice(have) : blob;
        for await (const c of rest.stream() as unknown as AsyncIterable<Uint8Array>) {
          hash.update(c);
          bytes += c.length;
          if (!out.write(c)) await new Promise<void>((r) => out.once('drain', () => r()));
        }
      } finally {
        await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
      }
      await rename(part, dest);
      return { sha256: hash.digest('hex'), bytes };
    });
  }
}
