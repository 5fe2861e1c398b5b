// Jupyter servers already running on this machine, found the way `jupyter server list` finds them:
// each server writes jpserver-<pid>.json (url, token, root) into Jupyter's runtime directory while
// it runs. A file whose process is gone is a leftover and is skipped.
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from '../process/pidAlive';

export interface LocalJupyterServer {
  url: string;
  token: string;
  root?: string;
  pid: number;
}

/** Jupyter's runtime directory: JUPYTER_RUNTIME_DIR, else under JUPYTER_DATA_DIR, else the platform's default. */
export function jupyterRuntimeDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = homedir()): string {
  if (env.JUPYTER_RUNTIME_DIR) return env.JUPYTER_RUNTIME_DIR;
  if (env.JUPYTER_DATA_DIR) return join(env.JUPYTER_DATA_DIR, 'runtime');
  if (platform === 'darwin') return join(home, 'Library', 'Jupyter', 'runtime');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'jupyter', 'runtime');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'jupyter', 'runtime');
}

export async function findLocalJupyterServers(dir = jupyterRuntimeDir()): Promise<LocalJupyterServer[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: LocalJupyterServer[] = [];
  for (const name of names.filter((n) => /^(jpserver|nbserver)-\d+\.json$/.test(n)).sort()) {
    try {
      const j = JSON.parse(await readFile(join(dir, name), 'utf8')) as { url?: string; token?: string; pid?: number; root_dir?: string; notebook_dir?: string };
      if (!j.url || !j.pid || !pidAlive(j.pid)) continue;
      out.push({
        url: j.url.endsWith('/') ? j.url : `${j.url}/`,
        token: j.token ?? '',
        pid: j.pid,
        ...((j.root_dir ?? j.notebook_dir) ? { root: j.root_dir ?? j.notebook_dir } : {}),
      });
    } catch {
      // A file being written or not Jupyter's: not a server to offer.
    }
  }
  return out;
}
