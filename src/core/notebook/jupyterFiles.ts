// What a notebook run on a Jupyter server wrote: the server's Contents API, walked from its root
// (where the kernel starts), keeping files modified since the run began. Bounded — a server root
// can be a whole home directory — and read-only.
import { JupyterError } from './jupyterRun';

export interface JupyterFile {
  /** Relative to the server's root, `/`-separated. */
  path: string;
  size?: number;
  modifiedAt: number;
}

interface ContentsEntry {
  path: string;
  type: 'file' | 'directory' | 'notebook';
  size?: number | null;
  last_modified?: string;
  content?: ContentsEntry[] | string | null;
  format?: string | null;
}

const skipDirs = /(^|\/)(\.[^/]*|__pycache__|node_modules|site-packages)$/;

async function contents(base: string, token: string | undefined, path: string, signal?: AbortSignal, withContent = true): Promise<ContentsEntry> {
  const url = `${base}api/contents/${path.split('/').map(encodeURIComponent).join('/')}${withContent ? '' : '?content=0'}`;
  const res = await fetch(url, { headers: token ? { Authorization: `token ${token}` } : {}, ...(signal ? { signal } : {}) });
  if (!res.ok) throw new JupyterError(`the Jupyter server answered HTTP ${res.status} to ${path || '/'} in its Contents API`);
  return (await res.json()) as ContentsEntry;
}

/** Files under the server's root modified at or after `since` (ms), newest first; at most `limit`, `maxDirs` folders read. */
export async function listWrittenFiles(
  serverUrl: string,
  token: string | undefined,
  since: number,
  o: { signal?: AbortSignal; limit?: number; maxDirs?: number; maxDepth?: number } = {},
): Promise<JupyterFile[]> {
  const base = serverUrl.replace(/\/?$/, '/');
  const out: JupyterFile[] = [];
  const queue: { path: string; depth: number }[] = [{ path: '', depth: 0 }];
  let dirs = 0;
  while (queue.length && dirs < (o.maxDirs ?? 40)) {
    const dir = queue.shift()!;
    dirs += 1;
    const listing = await contents(base, token, dir.path, o.signal);
    for (const e of Array.isArray(listing.content) ? listing.content : []) {
      if (e.type === 'directory') {
        if (dir.depth < (o.maxDepth ?? 3) && !skipDirs.test(e.path)) queue.push({ path: e.path, depth: dir.depth + 1 });
        continue;
      }
      const modifiedAt = Date.parse(e.last_modified ?? '');
      // Jupyter reports whole seconds on some file systems: a second's slack keeps a file written at once.
      if (modifiedAt >= since - 1000) out.push({ path: e.path, modifiedAt, ...(typeof e.size === 'number' ? { size: e.size } : {}) });
    }
  }
  return out.sort((a, b) => b.modifiedAt - a.modifiedAt).slice(0, o.limit ?? 200);
}

/** One file's bytes through the Contents API (base64 for binary, text otherwise). */
export async function readServerFile(serverUrl: string, token: string | undefined, path: string, signal?: AbortSignal): Promise<Buffer> {
  const e = await contents(serverUrl.replace(/\/?$/, '/'), token, path, signal);
  if (typeof e.content !== 'string') throw new JupyterError(`${path} on the Jupyter server is not a file`);
  return e.format === 'base64' ? Buffer.from(e.content, 'base64') : Buffer.from(e.content, 'utf8');
}
