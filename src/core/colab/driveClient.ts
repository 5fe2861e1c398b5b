// Google Drive for Colab dispatch through the official client (@googleapis/drive, loaded lazily):
// folders by path, uploads (multipart, or resumable for large bodies), listing, downloads.
// Reads retry on 5xx / rate limits with backoff; creates check before retrying, so a retry never
// leaves a duplicate. Every failure is a DriveError that says what was being done and why.
import { Readable } from 'node:stream';
import type { drive_v3 } from '@googleapis/drive';
import type { OAuth2Client } from 'google-auth-library';
import { sleep } from '../process/errors';
import { driveAuthClient, type DriveCredentials, type GoogleEndpoints } from './driveAuth';
import { DriveError, driveError, isRetryable } from './driveErrors';
import { resumableUpload } from './resumableUpload';

export const folderMime = 'application/vnd.google-apps.folder';
export const colabMime = 'application/vnd.google.colaboratory';
const fileFields = 'id,name,mimeType,size,modifiedTime,parents';

export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  size?: number;
  modifiedTime?: string;
}

export interface DriveOptions extends GoogleEndpoints {
  credentials: DriveCredentials;
  /** Drive API root (default https://www.googleapis.com/); tests point it at a fake. */
  rootUrl?: string;
  retries?: number;
  retryDelayMs?: number;
  signal?: AbortSignal;
}

export interface UploadOptions {
  parentId: string;
  name: string;
  mimeType: string;
  body: Buffer | string;
  /** Resumable upload (default: bodies over 5 MiB). */
  resumable?: boolean;
  chunkSize?: number;
  onProgress?: (sent: number, total: number) => void;
}

/** A Drive query string literal: backslash and quote escaped. */
export const qString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function toFile(f: drive_v3.Schema$File): DriveFile {
  return {
    id: f.id!,
    name: f.name ?? '',
    mimeType: f.mimeType ?? '',
    ...(f.size ? { size: Number(f.size) } : {}),
    ...(f.modifiedTime ? { modifiedTime: f.modifiedTime } : {}),
  };
}

export class DriveApi {
  // Per-call rootUrl too: the client applies the global one to API calls but not to upload URLs.
  // retry: false — one retry policy (ours: configurable, create-safe), not gaxios's on top of it.
  private readonly req: { rootUrl: string; retry: false; signal?: AbortSignal };

  private constructor(
    private readonly api: drive_v3.Drive,
    readonly auth: OAuth2Client,
    private readonly o: DriveOptions,
    readonly rootUrl: string,
  ) {
    this.req = { rootUrl, retry: false, ...(o.signal ? { signal: o.signal } : {}) };
  }

  static async open(o: DriveOptions): Promise<DriveApi> {
    const [{ drive }, auth] = await Promise.all([import('@googleapis/drive'), driveAuthClient(o.credentials, o)]);
    const rootUrl = (o.rootUrl ?? 'https://www.googleapis.com/').replace(/\/?$/, '/');
    // googleapis-common pins its own google-auth-library copy; the client only calls `request()`.
    return new DriveApi(drive({ version: 'v3', auth: auth as unknown as drive_v3.Options['auth'], rootUrl }), auth, o, rootUrl);
  }

  /** Runs a Drive call, retrying what is worth retrying; `idempotent: false` calls get `recover` first. */
  private async call<T>(what: string, fn: () => Promise<T>, recover?: () => Promise<T | undefined>): Promise<T> {
    const retries = this.o.retries ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (this.o.signal?.aborted) throw err;
        if (!isRetryable(err) || attempt > retries) throw driveError(err, what, attempt);
        await sleep((this.o.retryDelayMs ?? 500) * 2 ** (attempt - 1), this.o.signal);
        // A create that failed may still have happened: look before creating again.
        const done = recover ? await recover().catch(() => undefined) : undefined;
        if (done !== undefined) return done;
      }
    }
  }

  async findChild(parentId: string, name: string, o: { folder?: boolean } = {}): Promise<DriveFile | undefined> {
    const q = `name = ${qString(name)} and ${qString(parentId)} in parents and trashed = false${o.folder ? ` and mimeType = '${folderMime}'` : ''}`;
    const res = await this.call(`looking for "${name}"`, () =>
      this.api.files.list(
        {
          q,
          fields: `files(${fileFields})`,
          pageSize: 10,
          spaces: 'drive',
          supportsAllDrives: true,
          includeItemsFromAllDrives: true,
          orderBy: 'modifiedTime desc',
        },
        this.req,
      ),
    );
    const f = res.data.files?.[0];
    return f ? toFile(f) : undefined;
  }

  async createFolder(parentId: string, name: string): Promise<DriveFile> {
    const res = await this.call(
      `creating folder "${name}"`,
      () =>
        this.api.files
          .create({ requestBody: { name, mimeType: folderMime, parents: [parentId] }, fields: fileFields, supportsAllDrives: true }, this.req)
          .then((r) => toFile(r.data)),
      () => this.findChild(parentId, name, { folder: true }),
    );
    return res;
  }

  /** The folder at "a/b/c" under `rootId` (My Drive by default); created when `create`. */
  async folderByPath(path: string, o: { rootId?: string; create?: boolean } = {}): Promise<DriveFile | undefined> {
    let cur: DriveFile = { id: o.rootId ?? 'root', name: '', mimeType: folderMime };
    for (const part of path.split('/').filter(Boolean)) {
      const next = await this.findChild(cur.id, part, { folder: true });
      if (next) cur = next;
      else if (o.create) cur = await this.createFolder(cur.id, part);
      else return undefined;
    }
    return cur;
  }

  async list(folderId: string): Promise<DriveFile[]> {
    const out: DriveFile[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.call('listing a folder', () =>
        this.api.files.list(
          {
            q: `${qString(folderId)} in parents and trashed = false`,
            fields: `nextPageToken,files(${fileFields})`,
            pageSize: 200,
            orderBy: 'name',
            ...(pageToken ? { pageToken } : {}),
            supportsAllDrives: true,
            includeItemsFromAllDrives: true,
          },
          this.req,
        ),
      );
      out.push(...(res.data.files ?? []).map(toFile));
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  /** Every file under a folder, depth first, with its path relative to the folder. */
  async listTree(folderId: string, prefix = ''): Promise<(DriveFile & { path: string })[]> {
    const out: (DriveFile & { path: string })[] = [];
    for (const f of await this.list(folderId)) {
      if (f.mimeType === folderMime) out.push(...(await this.listTree(f.id, `${prefix}${f.name}/`)));
      else out.push({ ...f, path: `${prefix}${f.name}` });
    }
    return out;
  }

  async upload(u: UploadOptions): Promise<DriveFile> {
    const body = Buffer.isBuffer(u.body) ? u.body : Buffer.from(u.body, 'utf8');
    const what = `uploading ${u.name}`;
    if (u.resumable ?? body.length > 5 * 1024 * 1024) {
      const f = await resumableUpload<drive_v3.Schema$File>({
        auth: this.auth,
        rootUrl: this.rootUrl,
        metadata: { name: u.name, mimeType: u.mimeType, parents: [u.parentId] },
        body,
        mimeType: u.mimeType,
        fields: fileFields,
        retries: this.o.retries,
        retryDelayMs: this.o.retryDelayMs,
        signal: this.o.signal,
        onProgress: u.onProgress,
        ...(u.chunkSize ? { chunkSize: u.chunkSize } : {}),
      });
      return toFile(f);
    }
    const before = Date.now();
    return this.call(
      what,
      () =>
        this.api.files
          .create(
            {
              requestBody: { name: u.name, mimeType: u.mimeType, parents: [u.parentId] },
              media: { mimeType: u.mimeType, body: Readable.from([body]) },
              fields: fileFields,
              supportsAllDrives: true,
            },
            this.req,
          )
          .then((r) => (u.onProgress?.(body.length, body.length), toFile(r.data))),
      // Only a file that appeared since this upload began counts as ours.
      async () => {
        const f = await this.findChild(u.parentId, u.name);
        return f && f.size === body.length && Date.parse(f.modifiedTime ?? '') >= before - 60_000 ? f : undefined;
      },
    );
  }

  async download(fileId: string, name = fileId): Promise<Buffer> {
    const res = await this.call(`downloading ${name}`, () =>
      this.api.files.get({ fileId, alt: 'media', supportsAllDrives: true }, { ...this.req, responseType: 'arraybuffer' }),
    );
    return Buffer.from(res.data as unknown as ArrayBuffer);
  }

  /** The bytes from `offset` on (a growing log); empty when there are none yet. */
  async downloadFrom(fileId: string, offset: number, name = fileId): Promise<Buffer> {
    try {
      const res = await this.call(`downloading ${name}`, () =>
        this.api.files.get(
          { fileId, alt: 'media', supportsAllDrives: true },
          { ...this.req, responseType: 'arraybuffer', headers: { Range: `bytes=${offset}-` } },
        ),
      );
      const data = Buffer.from(res.data as unknown as ArrayBuffer);
      // 206 is the part asked for; a server that ignores Range sends it all.
      return res.status === 206 ? data : data.subarray(Math.min(offset, data.length));
    } catch (err) {
      if (err instanceof DriveError && err.status === 416) return Buffer.alloc(0);
      throw err;
    }
  }

  async get(fileId: string): Promise<DriveFile> {
    const res = await this.call('reading file metadata', () => this.api.files.get({ fileId, fields: fileFields, supportsAllDrives: true }, this.req));
    return toFile(res.data);
  }
}
