// A fake Google Drive v3 on loopback for the real @googleapis/drive client (pointed here with
// `rootUrl`) and google-auth-library (token endpoint here): files.list with `q`, paging and
// `fields`; files.get (metadata and alt=media); files.create (folders, multipart upload); resumable
// uploads (session, chunks, 308 Resume Incomplete, status query); bearer tokens from the fake
// OAuth endpoints. Switches make it fail the ways Drive fails: 401/403/404/429/5xx with Drive's
// error bodies, an upload cut off mid-body, revoked tokens.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { DriveStore, folderMime, type FakeFile } from './store';
import { parseQuery, QueryError } from './query';
import { FakeOAuth } from './oauth';

export type DriveRoute = 'token' | 'list' | 'get' | 'download' | 'create' | 'upload' | 'any';

interface Fault {
  status: number;
  reason?: string;
  on: DriveRoute;
  times: number;
}

const defaultReason: Record<number, [string, string]> = {
  401: ['authError', 'Invalid Credentials'],
  403: ['insufficientPermissions', 'Insufficient Permission: Request had insufficient authentication scopes.'],
  404: ['notFound', 'File not found.'],
  429: ['rateLimitExceeded', 'Rate Limit Exceeded'],
  500: ['backendError', 'Internal Error'],
  502: ['backendError', 'Bad Gateway'],
  503: ['backendError', 'Service Unavailable'],
};

export interface FakeDrive {
  /** For `drive({ rootUrl })`: ends with a slash. */
  rootUrl: string;
  tokenUrl: string;
  authUrl: string;
  store: DriveStore;
  oauth: FakeOAuth;
  requests: { method: string; path: string; query: Record<string, string>; range?: string }[];
  /** The next `times` requests on `on` answer `status` with Drive's error body (reason overridable). */
  fail(status: number, o?: { times?: number; on?: DriveRoute; reason?: string }): void;
  /** The next `times` upload bodies are cut off (socket destroyed) after `afterBytes` bytes. */
  interruptUpload(afterBytes: number, times?: number): void;
  /** Drops every pending switch. */
  clearFaults(): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, { ...(typeof body === 'object' && !Buffer.isBuffer(body) ? { 'Content-Type': 'application/json; charset=UTF-8' } : {}), ...headers });
  res.end(text);
}

function driveError(res: ServerResponse, status: number, reason?: string, message?: string, location?: string): void {
  const [r, m] = defaultReason[status] ?? ['backendError', 'Error'];
  const msg = message ?? (reason && reason !== r ? reason : m);
  send(res, status, {
    error: {
      code: status,
      message: msg,
      errors: [
        {
          message: msg,
          domain: status === 403 && reason?.includes('Limit') ? 'usageLimits' : 'global',
          reason: reason ?? r,
          ...(location ? { location, locationType: 'parameter' } : {}),
        },
      ],
    },
  });
}

/** `fields=files(id,name),nextPageToken` → top-level names and the sub-selection of files(…). */
function fieldSel(fields: string | undefined, list: boolean): { top?: Set<string>; file?: Set<string> } {
  if (!fields || fields === '*') return {};
  const top = new Set<string>();
  let file: Set<string> | undefined;
  for (const m of fields.matchAll(/(\w+)(?:\(([^)]*)\))?/g)) {
    top.add(m[1]!);
    if (m[2] !== undefined && (m[1] === 'files' || !list)) file = new Set(m[2].split(',').map((s) => s.trim()));
  }
  return list ? { top, file: file ?? (top.has('files') ? undefined : new Set()) } : { file: top };
}

function fileJson(f: FakeFile, sel?: Set<string>): Record<string, unknown> {
  const full: Record<string, unknown> = {
    kind: 'drive#file',
    id: f.id,
    name: f.name,
    mimeType: f.mimeType,
    parents: f.parents,
    trashed: f.trashed,
    createdTime: f.createdTime,
    modifiedTime: f.modifiedTime,
    ...(f.content ? { size: String(f.content.length) } : {}),
    ...(f.appProperties ? { appProperties: f.appProperties } : {}),
  };
  const keys = sel ?? new Set(['kind', 'id', 'name', 'mimeType']);
  return Object.fromEntries(Object.entries(full).filter(([k]) => keys.has(k)));
}

async function readBody(req: IncomingMessage, cut?: { afterBytes: number }): Promise<{ body: Buffer; cut: boolean }> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    if (cut && n + c.length > cut.afterBytes) {
      chunks.push(c.subarray(0, cut.afterBytes - n));
      req.socket.destroy();
      return { body: Buffer.concat(chunks), cut: true };
    }
    chunks.push(c);
    n += c.length;
  }
  return { body: Buffer.concat(chunks), cut: false };
}

function parseMultipart(body: Buffer, contentType: string): { meta: Record<string, unknown>; media: Buffer; mediaType: string } | undefined {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) return undefined;
  const text = body.toString('latin1');
  const parts = text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((p) => p.replace(/^\r\n/, '').replace(/\r\n$/, ''));
  if (parts.length !== 2) return undefined;
  const split = (p: string) => {
    const at = p.indexOf('\r\n\r\n');
    return { headers: p.slice(0, at), body: Buffer.from(p.slice(at + 4), 'latin1') };
  };
  const [m, d] = parts.map(split) as [{ headers: string; body: Buffer }, { headers: string; body: Buffer }];
  return {
    meta: JSON.parse(m.body.toString('utf8')) as Record<string, unknown>,
    media: d.body,
    mediaType: /content-type:\s*([^\r\n]+)/i.exec(d.headers)?.[1] ?? 'application/octet-stream',
  };
}

export async function startFakeDrive(): Promise<FakeDrive> {
  const store = new DriveStore();
  let base = '';
  const oauth = new FakeOAuth(() => `${base}token`);
  const faults: Fault[] = [];
  const cuts: { afterBytes: number; times: number }[] = [];
  const sessions = new Map<string, { meta: Record<string, unknown>; total?: number; data: Buffer }>();
  const requests: FakeDrive['requests'] = [];

  const takeFault = (route: DriveRoute): Fault | undefined => {
    const f = faults.find((x) => x.on === 'any' || x.on === route);
    if (f && --f.times <= 0) faults.splice(faults.indexOf(f), 1);
    return f;
  };
  const takeCut = () => {
    const c = cuts[0];
    if (c && --c.times <= 0) cuts.shift();
    return c;
  };

  const created = (
    res: ServerResponse,
    meta: Record<string, unknown>,
    content: Buffer | undefined,
    mediaType: string | undefined,
    fields: string | undefined,
  ) => {
    const parents = (meta.parents as string[] | undefined) ?? [];
    for (const p of parents) if (!store.get(p)) return driveError(res, 404, 'notFound', `File not found: ${p}.`, 'fileId');
    const f = store.create({
      name: String(meta.name ?? 'Untitled'),
      mimeType: (meta.mimeType as string | undefined) ?? mediaType,
      parents,
      ...(content ? { content } : {}),
      ...(meta.appProperties ? { appProperties: meta.appProperties as Record<string, string> } : {}),
    });
    send(res, 200, fileJson(f, fieldSel(fields, false).file));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const q = Object.fromEntries(url.searchParams);
    requests.push({ method: req.method ?? '', path: url.pathname, query: q, ...(req.headers.range ? { range: String(req.headers.range) } : {}) });
    if (url.pathname === '/token' && req.method === 'POST') {
      const fault = takeFault('token');
      if (fault)
        return send(res, fault.status, {
          error: fault.status >= 500 ? 'internal_failure' : 'invalid_grant',
          error_description: fault.reason ?? 'Token has been expired or revoked.',
        });
      const g = oauth.token(new URLSearchParams((await readBody(req)).body.toString()));
      return send(res, g.status, g.body);
    }
    if (url.pathname === '/o/oauth2/v2/auth') {
      const a = oauth.authorize(url.searchParams);
      return send(res, a.status, a.body ?? '', a.location ? { Location: a.location } : {});
    }
    const isUpload = url.pathname.startsWith('/upload/drive/v3/files');
    const fileMatch = /^\/drive\/v3\/files\/([^/]+)$/.exec(url.pathname);
    const route: DriveRoute = isUpload ? 'upload' : fileMatch ? (q.alt === 'media' ? 'download' : 'get') : req.method === 'POST' ? 'create' : 'list';
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !oauth.accessTokens.has(token))
      return driveError(
        res,
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    const fault = takeFault(route);
    if (fault) return driveError(res, fault.status, fault.reason);

    if (url.pathname === '/drive/v3/files' && req.method === 'GET') {
      let pred: (f: FakeFile) => boolean = () => true;
      try {
        if (q.q) pred = parseQuery(q.q, (id) => store.resolveId(id));
      } catch (e) {
        if (e instanceof QueryError) return driveError(res, 400, 'invalid', 'Invalid Value', 'q');
        throw e;
      }
      const pageSize = Math.min(Number(q.pageSize ?? 100), 1000);
      const all = [...store.files.values()].filter((f) => f.id !== store.rootId && pred(f));
      if (q.orderBy) {
        const [key, dir] = q.orderBy.split(',')[0]!.trim().split(/\s+/) as [keyof FakeFile, string | undefined];
        all.sort((a, b) => String(a[key]).localeCompare(String(b[key])) * (dir === 'desc' ? -1 : 1));
      }
      const from = Number(q.pageToken ?? 0);
      const page = all.slice(from, from + pageSize);
      const sel = fieldSel(q.fields, true);
      const body: Record<string, unknown> = { kind: 'drive#fileList', incompleteSearch: false, files: page.map((f) => fileJson(f, sel.file)) };
      if (from + pageSize < all.length) body.nextPageToken = String(from + pageSize);
      return send(res, 200, sel.top ? Object.fromEntries(Object.entries(body).filter(([k]) => sel.top!.has(k))) : body);
    }
    if (fileMatch && req.method === 'GET') {
      const f = store.get(decodeURIComponent(fileMatch[1]!));
      if (!f || (f.id === store.rootId && q.alt === 'media')) return driveError(res, 404, 'notFound', `File not found: ${fileMatch[1]}.`, 'fileId');
      if (q.alt === 'media') {
        if (f.mimeType === folderMime || f.mimeType.startsWith('application/vnd.google-apps.'))
          return driveError(res, 403, 'fileNotDownloadable', 'Only files with binary content can be downloaded. Use Export with Docs Editors files.', 'alt');
        const content = f.content ?? Buffer.alloc(0);
        // Partial downloads as Drive does them: `Range: bytes=N-` → 206, past the end → 416.
        const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
        if (range) {
          const start = Number(range[1]);
          const end = range[2] ? Math.min(Number(range[2]), content.length - 1) : content.length - 1;
          if (start >= content.length) return send(res, 416, '', { 'Content-Range': `bytes */${content.length}` });
          return send(res, 206, content.subarray(start, end + 1), { 'Content-Type': f.mimeType, 'Content-Range': `bytes ${start}-${end}/${content.length}` });
        }
        return send(res, 200, content, { 'Content-Type': f.mimeType });
      }
      return send(res, 200, fileJson(f, fieldSel(q.fields, false).file));
    }
    if (url.pathname === '/drive/v3/files' && req.method === 'POST') {
      const meta = JSON.parse((await readBody(req)).body.toString() || '{}') as Record<string, unknown>;
      return created(res, meta, undefined, undefined, q.fields);
    }
    if (url.pathname === '/upload/drive/v3/files' && req.method === 'POST') {
      const cut = q.uploadType === 'resumable' ? undefined : takeCut();
      const { body, cut: wasCut } = await readBody(req, cut);
      if (wasCut) return;
      if (q.uploadType === 'multipart') {
        const mp = parseMultipart(body, req.headers['content-type'] ?? '');
        if (!mp) return driveError(res, 400, 'badContent', 'Malformed multipart body.');
        return created(res, mp.meta, mp.media, mp.mediaType, q.fields);
      }
      if (q.uploadType === 'media') return created(res, {}, body, req.headers['content-type'], q.fields);
      if (q.uploadType === 'resumable') {
        const id = randomBytes(12).toString('base64url');
        const len = req.headers['x-upload-content-length'];
        sessions.set(id, {
          meta: JSON.parse(body.toString() || '{}') as Record<string, unknown>,
          ...(len ? { total: Number(len) } : {}),
          data: Buffer.alloc(0),
        });
        return send(res, 200, '', {
          Location: `${base}upload/drive/v3/files?uploadType=resumable&upload_id=${id}${q.fields ? `&fields=${encodeURIComponent(q.fields)}` : ''}`,
        });
      }
      return driveError(res, 400, 'invalid', 'Invalid Value', 'uploadType');
    }
    if (url.pathname === '/upload/drive/v3/files' && req.method === 'PUT' && q.upload_id) {
      const s = sessions.get(q.upload_id);
      if (!s) return driveError(res, 404, 'notFound', 'Upload session not found.');
      const range = /^bytes (\*|(\d+)-(\d+))\/(\*|\d+)$/.exec(req.headers['content-range'] ?? '');
      if (range?.[4] && range[4] !== '*') s.total = Number(range[4]);
      const { body, cut } = await readBody(req, range?.[1] === '*' ? undefined : takeCut());
      if (range && range[1] !== '*' && Number(range[2]) !== s.data.length)
        return driveError(res, 400, 'badContent', `Invalid request: Content-Range start ${range[2]} but ${s.data.length} bytes persisted.`);
      s.data = Buffer.concat([s.data, body]);
      if (cut) return;
      if (!range) s.total = s.data.length;
      if (s.total !== undefined && s.data.length >= s.total) {
        sessions.delete(q.upload_id);
        return created(res, s.meta, s.data, (s.meta.mimeType as string | undefined) ?? req.headers['content-type'], q.fields);
      }
      return send(res, 308, '', s.data.length ? { Range: `bytes=0-${s.data.length - 1}` } : {});
    }
    return driveError(res, 404, 'notFound', `No route ${req.method} ${url.pathname}`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, { error: { code: 500, message: err.message } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  return {
    rootUrl: base,
    tokenUrl: `${base}token`,
    authUrl: `${base}o/oauth2/v2/auth`,
    store,
    oauth,
    requests,
    fail: (status, o = {}) => void faults.push({ status, on: o.on ?? 'any', times: o.times ?? 1, ...(o.reason ? { reason: o.reason } : {}) }),
    interruptUpload: (afterBytes, times = 1) => void cuts.push({ afterBytes, times }),
    clearFaults: () => {
      faults.length = 0;
      cuts.length = 0;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
