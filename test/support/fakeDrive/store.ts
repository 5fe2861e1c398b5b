// The fake Drive's files: ids, names, parents, content — the subset of a Drive v3 `File` that
// Airlock reads, with Drive's rules (a folder is a mime type; 'root' names My Drive's root).
import { randomBytes } from 'node:crypto';

export const folderMime = 'application/vnd.google-apps.folder';

export interface FakeFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  trashed: boolean;
  content?: Buffer;
  createdTime: string;
  modifiedTime: string;
  appProperties?: Record<string, string>;
}

export class DriveStore {
  readonly rootId = `0A${randomBytes(8).toString('hex')}Uk9PVA`;
  readonly files = new Map<string, FakeFile>();
  private clock = Date.parse('2025-01-01T00:00:00Z');

  constructor() {
    this.files.set(this.rootId, {
      id: this.rootId,
      name: 'My Drive',
      mimeType: folderMime,
      parents: [],
      trashed: false,
      createdTime: this.now(),
      modifiedTime: this.now(),
    });
  }

  /** Monotonic timestamps, one millisecond apart, so ordering by modifiedTime is deterministic. */
  now(): string {
    this.clock = Math.max(this.clock + 1, Date.now());
    return new Date(this.clock).toISOString();
  }

  resolveId(id: string): string {
    return id === 'root' ? this.rootId : id;
  }

  get(id: string): FakeFile | undefined {
    return this.files.get(this.resolveId(id));
  }

  create(f: { name: string; mimeType?: string; parents?: string[]; content?: Buffer; appProperties?: Record<string, string> }): FakeFile {
    const id = `1${randomBytes(16).toString('base64url').slice(0, 32)}`;
    const t = this.now();
    const file: FakeFile = {
      id,
      name: f.name,
      mimeType: f.mimeType ?? 'application/octet-stream',
      parents: (f.parents?.length ? f.parents : ['root']).map((p) => this.resolveId(p)),
      trashed: false,
      createdTime: t,
      modifiedTime: t,
      ...(f.content ? { content: f.content } : {}),
      ...(f.appProperties ? { appProperties: f.appProperties } : {}),
    };
    this.files.set(id, file);
    return file;
  }

  children(parentId: string): FakeFile[] {
    const p = this.resolveId(parentId);
    return [...this.files.values()].filter((f) => f.parents.includes(p) && !f.trashed);
  }

  /** The folder at `path` under My Drive ("a/b/c"), created as needed — what a Drive mount does. */
  folderByPath(path: string, create = true): FakeFile | undefined {
    let cur = this.files.get(this.rootId)!;
    for (const part of path.split('/').filter(Boolean)) {
      const next = this.children(cur.id).find((f) => f.name === part && f.mimeType === folderMime);
      if (!next && !create) return undefined;
      cur = next ?? this.create({ name: part, mimeType: folderMime, parents: [cur.id] });
    }
    return cur;
  }

  /** Writes a file at "a/b/name" under My Drive, replacing its content in place if it exists. */
  /** Appends to a file (created when missing), as the Drive mount does for a growing log. */
  appendByPath(path: string, content: string, mimeType = 'text/plain'): FakeFile {
    const parts = path.split('/').filter(Boolean);
    const folder = this.folderByPath(parts.slice(0, -1).join('/'))!;
    const existing = this.children(folder.id).find((f) => f.name === parts.at(-1) && f.mimeType !== folderMime);
    return this.writeByPath(path, Buffer.concat([existing?.content ?? Buffer.alloc(0), Buffer.from(content)]), mimeType);
  }

  writeByPath(path: string, content: string | Buffer, mimeType = 'application/json'): FakeFile {
    const parts = path.split('/').filter(Boolean);
    const name = parts.pop()!;
    const folder = this.folderByPath(parts.join('/'))!;
    const existing = this.children(folder.id).find((f) => f.name === name && f.mimeType !== folderMime);
    const body = Buffer.isBuffer(content) ? content : Buffer.from(content);
    if (existing) {
      existing.content = body;
      existing.modifiedTime = this.now();
      return existing;
    }
    return this.create({ name, mimeType, parents: [folder.id], content: body });
  }

  readByPath(path: string): Buffer | undefined {
    const parts = path.split('/').filter(Boolean);
    const name = parts.pop()!;
    const folder = this.folderByPath(parts.join('/'), false);
    return folder && this.children(folder.id).find((f) => f.name === name)?.content;
  }
}
