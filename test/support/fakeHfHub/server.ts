// A fake Hugging Face Hub on loopback for the real @huggingface/hub client (pointed here with
// `hubUrl`). The endpoints are the ones the library calls for a model or dataset repo (read from
// its source, dist/index.js: createRepo, repoExists/modelInfo, commitIter, listFiles, pathsInfo,
// fileDownloadInfo, WebBlob): repo create/info, preupload, the LFS batch API with basic and
// multipart transfers, LFS PUT / part PUT / multipart completion, the ndjson commit, tree listing,
// paths-info and resolve with Range. Bodies and bearer tokens are validated like the Hub does;
// switches make it fail the way the Hub fails: 401/403, 429 with Retry-After, 5xx, an upload cut
// off halfway (socket destroyed mid-body).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';

export type HubRoute = 'create' | 'info' | 'preupload' | 'batch' | 'lfs' | 'commit' | 'tree' | 'resolve' | 'any';

export interface HubFile {
  path: string;
  size: number;
  /** sha256 for LFS files, git blob sha1 for regular ones (what the Hub reports as `oid`). */
  oid: string;
  lfs?: { oid: string; size: number };
  content: Buffer;
}

export interface HubRepo {
  id: string;
  type: 'model' | 'dataset';
  private: boolean;
  owner: string;
  files: Map<string, HubFile>;
  commits: { oid: string; title: string; paths: string[] }[];
}

export interface FakeHfHub {
  hubUrl: string;
  repos: Map<string, HubRepo>;
  lfs: Map<string, Buffer>;
  requests: { method: string; path: string; range?: string }[];
  /** A token with `write` may push; a `read` token gets 403 on writes. */
  addToken(token: string, user: string, role?: 'read' | 'write'): void;
  repo(type: 'model' | 'dataset', id: string): HubRepo | undefined;
  /** Puts files straight into a repo (a dataset someone else pushed). */
  seed(type: 'model' | 'dataset', id: string, files: Record<string, Buffer>, o?: { private?: boolean; lfsAbove?: number }): string;
  /** The next `times` requests on `on` answer `status` (429 carries Retry-After: `retryAfterSec`). */
  fail(status: number, o?: { on?: HubRoute; times?: number; retryAfterSec?: number }): void;
  /** The next `times` LFS upload bodies are cut off after `afterBytes` (socket destroyed). */
  interruptUpload(afterBytes: number, times?: number): void;
  /** While down every request's socket is destroyed (the network is gone). */
  setDown(down: boolean): void;
  clearFaults(): void;
  close(): Promise<void>;
}

interface Fault {
  status: number;
  on: HubRoute;
  times: number;
  retryAfterSec?: number;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const gitBlobSha = (b: Buffer) =>
  createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${b.length}\0`), b]))
    .digest('hex');

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const isJson = body !== undefined && !Buffer.isBuffer(body) && typeof body !== 'string';
  res.writeHead(status, {
    ...(isJson ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'X-Request-Id': `Root=1-${randomBytes(6).toString('hex')}`,
    ...headers,
  });
  res.end(isJson ? JSON.stringify(body) : body);
}

const hubError = (res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}) => send(res, status, { error }, headers);

function readBody(req: IncomingMessage, limit = 512 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > limit) reject(new Error('body too large'));
      else parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
  });
}

export async function startFakeHfHub(o: { multipartAbove?: number; chunkSize?: number; lfsAbove?: number } = {}): Promise<FakeHfHub> {
  const multipartAbove = o.multipartAbove ?? 8 * 1024 * 1024;
  const chunkSize = o.chunkSize ?? 4 * 1024 * 1024;
  const lfsAbove = o.lfsAbove ?? 10 * 1024 * 1024;
  const tokens = new Map<string, { user: string; role: 'read' | 'write' }>();
  const repos = new Map<string, HubRepo>();
  const lfs = new Map<string, Buffer>();
  const parts = new Map<string, Map<number, Buffer>>();
  const requests: FakeHfHub['requests'] = [];
  let faults: Fault[] = [];
  let cuts: { afterBytes: number; times: number }[] = [];
  let down = false;
  let hubUrl = '';

  const key = (type: string, id: string) => `${type}:${id}`;
  const putFile = (repo: HubRepo, path: string, content: Buffer, asLfs: boolean) => {
    const f: HubFile = asLfs
      ? { path, size: content.length, oid: sha256(content), lfs: { oid: sha256(content), size: content.length }, content }
      : { path, size: content.length, oid: gitBlobSha(content), content };
    repo.files.set(path, f);
  };
  const commitOid = () => randomBytes(20).toString('hex');

  function takeFault(route: HubRoute): Fault | undefined {
    const f = faults.find((x) => x.times > 0 && (x.on === 'any' || x.on === route));
    if (f) f.times--;
    faults = faults.filter((x) => x.times > 0);
    return f;
  }

  function auth(req: IncomingMessage): { user: string; role: 'read' | 'write' } | undefined | 'bad' {
    const h = req.headers.authorization;
    if (!h) return undefined;
    const m = /^Bearer (\S+)$/.exec(h);
    return (m && tokens.get(m[1]!)) || 'bad';
  }

  /** The Hub hides a private repo from those who may not see it: 401 without a token, 404 otherwise. */
  function canRead(res: ServerResponse, req: IncomingMessage, repo: HubRepo | undefined): boolean {
    const a = auth(req);
    if (a === 'bad') return (hubError(res, 401, 'Invalid credentials in Authorization header'), false);
    if (!repo || (repo.private && (!a || a.user !== repo.owner))) {
      if (!a) return (hubError(res, 401, 'Repository not found', { 'X-Error-Code': 'RepoNotFound' }), false);
      return (hubError(res, 404, 'Repository not found', { 'X-Error-Code': 'RepoNotFound' }), false);
    }
    return true;
  }

  function canWrite(res: ServerResponse, req: IncomingMessage, repo: HubRepo | undefined): boolean {
    if (!canRead(res, req, repo)) return false;
    const a = auth(req) as { user: string; role: string };
    if (!a || a.role !== 'write' || a.user !== repo!.owner)
      return (hubError(res, 403, 'You have read access but not the required permissions for this operation.'), false);
    return true;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', hubUrl);
    const p = decodeURIComponent(url.pathname);
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname + url.search, ...(req.headers.range ? { range: req.headers.range } : {}) });
    if (down) return void req.socket.destroy();

    let m: RegExpExecArray | null;
    const route: HubRoute =
      p === '/api/repos/create'
        ? 'create'
        : /\/preupload\//.test(p)
          ? 'preupload'
          : /\.git\/info\/lfs\/objects\/batch$/.test(p)
            ? 'batch'
            : p.startsWith('/lfs/')
              ? 'lfs'
              : /\/commit\//.test(p)
                ? 'commit'
                : /\/(tree|paths-info)\//.test(p)
                  ? 'tree'
                  : /\/resolve\//.test(p)
                    ? 'resolve'
                    : 'info';
    const f = takeFault(route);
    if (f) {
      const body = await readBody(req).catch(() => Buffer.alloc(0));
      void body;
      if (f.status === 429)
        return hubError(res, 429, 'You have been rate-limited; you can retry this action in about 1 minute.', { 'Retry-After': String(f.retryAfterSec ?? 1) });
      if (f.status === 401) return hubError(res, 401, 'Invalid credentials in Authorization header');
      if (f.status === 403) return hubError(res, 403, 'You have read access but not the required permissions for this operation.');
      return send(res, f.status, `<html><body>${f.status} Server Error</body></html>`, { 'Content-Type': 'text/html' });
    }

    if (method === 'POST' && p === '/api/repos/create') {
      const a = auth(req);
      if (!a || a === 'bad') return hubError(res, 401, 'Invalid username or password.');
      if (a.role !== 'write') return hubError(res, 403, "You don't have the rights to create a model under this namespace");
      const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { name?: string; organization?: string; type?: string; visibility?: string };
      if (typeof body.name !== 'string' || !/^[\w.-]{1,96}$/.test(body.name))
        return hubError(res, 400, '"name" must be a string of letters, digits, "-", "_" or "."');
      const type = body.type ?? 'model';
      if (type !== 'model' && type !== 'dataset') return hubError(res, 400, `"type" must be one of [model, dataset, space]`);
      const owner = body.organization ?? a.user;
      if (owner !== a.user) return hubError(res, 403, `You don't have the rights to create a ${type} under the namespace "${owner}"`);
      const id = `${owner}/${body.name}`;
      if (repos.has(key(type, id))) return hubError(res, 409, 'You already created this model repo', { 'X-Error-Code': 'RepoExists' });
      repos.set(key(type, id), { id, type, owner, private: body.visibility === 'private', files: new Map(), commits: [] });
      return send(res, 200, { url: `${hubUrl}/${type === 'model' ? '' : 'datasets/'}${id}`, name: id, id: randomBytes(12).toString('hex') });
    }

    // /api/{models|datasets}/ns/name[/revision/rev][/preupload|commit|tree|paths-info/rev...]
    if ((m = /^\/api\/(models|datasets)\/([^/]+\/[^/]+)(?:\/(preupload|commit|tree|paths-info|revision)\/([^/]+)(\/.*)?)?$/.exec(p))) {
      const type = m[1] === 'models' ? 'model' : 'dataset';
      const repo = repos.get(key(type, m[2]!));
      const op = m[3];
      if (op === 'preupload' && method === 'POST') {
        if (!canWrite(res, req, repo)) return;
        const body = JSON.parse((await readBody(req)).toString('utf8')) as { files?: { path?: string; size?: number; sample?: string }[] };
        if (!Array.isArray(body.files)) return hubError(res, 400, '"files" is required');
        const out = body.files.map((x) => {
          if (typeof x.path !== 'string' || typeof x.size !== 'number' || typeof x.sample !== 'string') throw new Error('bad preupload entry');
          const sample = Buffer.from(x.sample, 'base64');
          const binary = sample.includes(0);
          return {
            path: x.path,
            uploadMode: binary || x.size > lfsAbove || /\.(pt|bin|safetensors|ckpt|pth)$/.test(x.path) ? 'lfs' : 'regular',
            shouldIgnore: false,
          };
        });
        return send(res, 200, { files: out, commitOid: repo!.commits.at(-1)?.oid ?? null });
      }
      if (op === 'commit' && method === 'POST') {
        if (!canWrite(res, req, repo)) return;
        if (!String(req.headers['content-type']).startsWith('application/x-ndjson')) return hubError(res, 400, 'Content-Type must be application/x-ndjson');
        const lines = (await readBody(req)).toString('utf8').split('\n').filter(Boolean);
        const ops = lines.map((l) => JSON.parse(l) as { key: string; value: Record<string, unknown> });
        const header = ops[0];
        if (header?.key !== 'header' || typeof header.value.summary !== 'string' || !header.value.summary)
          return hubError(res, 400, 'The first line must be the header, with a summary');
        const staged: [string, Buffer, boolean][] = [];
        const deleted: string[] = [];
        for (const o of ops.slice(1)) {
          const v = o.value as { path?: string; content?: string; encoding?: string; oid?: string; size?: number; algo?: string };
          if (typeof v.path !== 'string' || !v.path || v.path.startsWith('/') || v.path.split('/').includes('..'))
            return hubError(res, 400, `invalid path ${JSON.stringify(v.path)}`);
          if (o.key === 'file') {
            if (v.encoding !== 'base64' || typeof v.content !== 'string') return hubError(res, 400, 'file content must be base64');
            staged.push([v.path, Buffer.from(v.content, 'base64'), false]);
          } else if (o.key === 'lfsFile') {
            if (v.algo !== 'sha256') return hubError(res, 400, 'algo must be sha256');
            const obj = lfs.get(v.oid ?? '');
            if (!obj || obj.length !== v.size)
              return hubError(res, 422, `Your push was rejected because an LFS pointer pointed to a file that does not exist. Offending file: - ${v.path}`);
            staged.push([v.path, obj, true]);
          } else if (o.key === 'deletedFile') deleted.push(v.path);
          else return hubError(res, 400, `unknown operation ${o.key}`);
        }
        for (const [path, content, asLfs] of staged) putFile(repo!, path, content, asLfs);
        for (const d of deleted) repo!.files.delete(d);
        const oid = commitOid();
        repo!.commits.push({ oid, title: header.value.summary, paths: staged.map((s) => s[0]) });
        return send(res, 200, { success: true, commitOid: oid, commitUrl: `${hubUrl}/${repo!.id}/commit/${oid}` });
      }
      if (op === 'tree' && method === 'GET') {
        if (!canRead(res, req, repo)) return;
        const prefix = (m[5] ?? '').replace(/^\//, '');
        const items = [...repo!.files.values()]
          .filter((x) => !prefix || x.path.startsWith(`${prefix}/`))
          .map((x) => ({ type: 'file', path: x.path, size: x.size, oid: x.oid, ...(x.lfs ? { lfs: { ...x.lfs, pointerSize: 134 } } : {}) }));
        return send(res, 200, items);
      }
      if (op === 'paths-info' && method === 'POST') {
        if (!canRead(res, req, repo)) return;
        const body = JSON.parse((await readBody(req)).toString('utf8')) as { paths?: string[] };
        if (!Array.isArray(body.paths)) return hubError(res, 400, '"paths" is required');
        return send(
          res,
          200,
          body.paths.flatMap((q) => {
            const x = repo!.files.get(q);
            return x ? [{ type: 'file', path: x.path, size: x.size, oid: x.oid, ...(x.lfs ? { lfs: { ...x.lfs, pointerSize: 134 } } : {}) }] : [];
          }),
        );
      }
      if ((op === undefined || op === 'revision') && method === 'GET') {
        if (!canRead(res, req, repo)) return;
        const r = repo!;
        return send(res, 200, {
          _id: randomBytes(12).toString('hex'),
          id: r.id,
          private: r.private,
          sha: r.commits.at(-1)?.oid ?? '0'.repeat(40),
          lastModified: new Date().toISOString(),
          likes: 0,
          downloads: 0,
          siblings: [...r.files.keys()].map((rfilename) => ({ rfilename })),
        });
      }
      return hubError(res, 405, 'Method not allowed');
    }

    // LFS batch: /{ns}/{name}.git/info/lfs/objects/batch or /datasets/{ns}/{name}.git/...
    if ((m = /^\/(datasets\/)?([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(p)) && method === 'POST') {
      const repo = repos.get(key(m[1] ? 'dataset' : 'model', m[2]!));
      if (!canWrite(res, req, repo)) return;
      if (!String(req.headers['content-type']).startsWith('application/vnd.git-lfs+json'))
        return send(res, 422, { message: 'Content-Type must be application/vnd.git-lfs+json' });
      const body = JSON.parse((await readBody(req)).toString('utf8')) as {
        operation?: string;
        transfers?: string[];
        hash_algo?: string;
        objects?: { oid?: string; size?: number }[];
      };
      if (body.operation !== 'upload') return send(res, 422, { message: 'operation must be upload' });
      if (!body.transfers?.includes('basic')) return send(res, 422, { message: 'no supported transfer' });
      if (body.hash_algo && body.hash_algo !== 'sha_256') return send(res, 422, { message: 'unsupported hash_algo' });
      const objects = (body.objects ?? []).map((x) => {
        if (typeof x.oid !== 'string' || !/^[0-9a-f]{64}$/.test(x.oid) || typeof x.size !== 'number')
          return { oid: String(x.oid), size: x.size, error: { code: 422, message: 'invalid object' } };
        if (lfs.has(x.oid)) return { oid: x.oid, size: x.size, authenticated: true };
        const upload =
          x.size > multipartAbove && body.transfers!.includes('multipart')
            ? {
                href: `${hubUrl}/lfs/complete/${x.oid}`,
                header: Object.fromEntries([
                  ['chunk_size', String(chunkSize)],
                  ...Array.from({ length: Math.ceil(x.size / chunkSize) }, (_, i) => [String(i + 1), `${hubUrl}/lfs/part/${x.oid}/${i + 1}?size=${x.size}`]),
                ]),
              }
            : { href: `${hubUrl}/lfs/object/${x.oid}?size=${x.size}` };
        return { oid: x.oid, size: x.size, authenticated: true, actions: { upload: { ...upload, expires_at: new Date(Date.now() + 3600_000).toISOString() } } };
      });
      return send(res, 200, { transfer: 'basic', objects }, { 'Content-Type': 'application/vnd.git-lfs+json' });
    }

    // LFS storage (the pre-signed URLs of the batch answer; no bearer token, like S3).
    if ((m = /^\/lfs\/(object|part|complete)\/([0-9a-f]{64})(?:\/(\d+))?$/.exec(p))) {
      const oid = m[2]!;
      if ((m[1] === 'object' || m[1] === 'part') && method === 'PUT') {
        const cut = cuts.find((c) => c.times > 0);
        if (cut) {
          cut.times--;
          cuts = cuts.filter((c) => c.times > 0);
          let n = 0;
          req.on('data', (c: Buffer) => {
            n += c.length;
            if (n >= cut.afterBytes) req.socket.destroy();
          });
          req.on('end', () => req.socket.destroy());
          return;
        }
        const body = await readBody(req);
        if (m[1] === 'object') {
          if (body.length !== Number(url.searchParams.get('size')) || sha256(body) !== oid)
            return send(res, 400, '<Error><Code>BadDigest</Code><Message>The sha256 you specified did not match what we received.</Message></Error>', {
              'Content-Type': 'application/xml',
            });
          lfs.set(oid, body);
          return send(res, 200, '');
        }
        const n = Number(m[3]);
        const map = parts.get(oid) ?? new Map<number, Buffer>();
        map.set(n, body);
        parts.set(oid, map);
        return send(res, 200, '', { ETag: `"${createHash('md5').update(body).digest('hex')}"` });
      }
      if (m[1] === 'complete' && method === 'POST') {
        const body = JSON.parse((await readBody(req)).toString('utf8')) as { oid?: string; parts?: { partNumber: number; etag: string }[] };
        const map = parts.get(oid);
        if (body.oid !== oid || !map || !Array.isArray(body.parts)) return send(res, 422, { message: 'invalid completion request' });
        const bufs: Buffer[] = [];
        for (const pt of [...body.parts].sort((a, b) => a.partNumber - b.partNumber)) {
          const b = map.get(pt.partNumber);
          if (!b || pt.etag !== `"${createHash('md5').update(b).digest('hex')}"`)
            return send(res, 400, { message: `part ${pt.partNumber} is missing or its ETag does not match` });
          bufs.push(b);
        }
        const all = Buffer.concat(bufs);
        if (sha256(all) !== oid) return send(res, 400, { message: 'the assembled object does not match its oid' });
        lfs.set(oid, all);
        parts.delete(oid);
        return send(res, 200, { message: 'ok' });
      }
    }

    // Downloads: /{ns}/{name}/resolve/{rev}/{path} and /datasets/...
    if ((m = /^\/(datasets\/)?([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(p)) && (method === 'GET' || method === 'HEAD')) {
      const repo = repos.get(key(m[1] ? 'dataset' : 'model', m[2]!));
      if (!canRead(res, req, repo)) return;
      const rev = m[3]!;
      if (rev !== 'main' && !repo!.commits.some((c) => c.oid === rev))
        return hubError(res, 404, `Invalid rev id: ${rev}`, { 'X-Error-Code': 'RevisionNotFound' });
      const file = repo!.files.get(m[4]!);
      if (!file) return hubError(res, 404, 'Entry not found', { 'X-Error-Code': 'EntryNotFound' });
      const etag = `"${file.lfs?.oid ?? file.oid}"`;
      const common = { ETag: etag, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream', 'X-Repo-Commit': repo!.commits.at(-1)?.oid ?? '' };
      const range = req.headers.range;
      if (range) {
        const r = /^bytes=(\d+)-(\d*)$/.exec(range);
        if (!r) return send(res, 416, '', { 'Content-Range': `bytes */${file.size}` });
        const start = Number(r[1]);
        const end = r[2] ? Math.min(Number(r[2]), file.size - 1) : file.size - 1;
        if (start >= file.size || start > end) return send(res, 416, '', { 'Content-Range': `bytes */${file.size}` });
        const slice = file.content.subarray(start, end + 1);
        res.writeHead(206, { ...common, 'Content-Range': `bytes ${start}-${end}/${file.size}`, 'Content-Length': String(slice.length) });
        return void res.end(method === 'HEAD' ? undefined : slice);
      }
      res.writeHead(200, { ...common, 'Content-Length': String(file.size) });
      return void res.end(method === 'HEAD' ? undefined : file.content);
    }
    hubError(res, 404, "Sorry, we can't find the page you are looking for.");
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent && !res.destroyed) hubError(res, 400, `bad request: ${err.message}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  hubUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  return {
    hubUrl,
    repos,
    lfs,
    requests,
    addToken: (token, user, role = 'write') => void tokens.set(token, { user, role }),
    repo: (type, id) => repos.get(key(type, id)),
    seed(type, id, files, so = {}) {
      const owner = id.split('/')[0]!;
      const repo: HubRepo = repos.get(key(type, id)) ?? { id, type, owner, private: so.private ?? true, files: new Map(), commits: [] };
      repos.set(key(type, id), repo);
      for (const [path, content] of Object.entries(files)) putFile(repo, path, content, content.length > (so.lfsAbove ?? 1024) || content.includes(0));
      const oid = commitOid();
      repo.commits.push({ oid, title: 'seed', paths: Object.keys(files) });
      return oid;
    },
    fail: (status, fo = {}) =>
      void faults.push({ status, on: fo.on ?? 'any', times: fo.times ?? 1, ...(fo.retryAfterSec !== undefined ? { retryAfterSec: fo.retryAfterSec } : {}) }),
    interruptUpload: (afterBytes, times = 1) => void cuts.push({ afterBytes, times }),
    setDown: (d) => void (down = d),
    clearFaults: () => ((faults = []), (cuts = []), (down = false)),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
