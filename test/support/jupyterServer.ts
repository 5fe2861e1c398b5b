// A real Jupyter server (Debian's jupyter-server + python3-ipykernel) on loopback for notebook
// tests: random port and token, a temp root dir, the whole process group killed at the end.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackGroup } from './processGroups';

export interface JupyterTestServer {
  url: string;
  token: string;
  root: string;
  /** Where it keeps jpserver-<pid>.json: JUPYTER_RUNTIME_DIR for whoever should find it running. */
  runtimeDir: string;
  stop(): Promise<void>;
}

export function jupyterSkipReason(): string | undefined {
  if (!existsSync('/usr/bin/jupyter-server'))
    return 'missing real component: jupyter-server is not installed (Debian: apt-get install jupyter-server python3-ipykernel)';
  if (spawnSync('/usr/bin/python3', ['-c', 'import ipykernel'], { stdio: 'ignore' }).status !== 0)
    return 'missing real component: python3-ipykernel is not installed';
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function startJupyter(): Promise<JupyterTestServer> {
  const root = mkdtempSync(join(tmpdir(), 'airlock-jupyter-'));
  const token = randomBytes(12).toString('hex');
  const port = await freePort();
  // Debian's python first: the kernel spec runs `python3`, which must be the one with ipykernel.
  const env = {
    ...process.env,
    PATH: `/usr/bin:${process.env.PATH}`,
    JUPYTER_RUNTIME_DIR: join(root, '.runtime'),
    JUPYTER_DATA_DIR: join(root, '.data'),
    HOME: root,
  };
  // Killed with the test process on exit, errors and Ctrl+C, like code-server.
  const child = spawn(
    '/usr/bin/jupyter-server',
    [
      `--port=${port}`,
      '--ip=127.0.0.1',
      '--no-browser',
      `--ServerApp.token=${token}`,
      `--ServerApp.root_dir=${root}`,
      '--allow-root',
      '--ServerApp.port_retries=0',
    ],
    { env, cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  trackGroup(child.pid!);
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d));
  child.stderr!.on('data', (d: Buffer) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${url}api/status?token=${token}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      throw new Error(`jupyter-server did not start: ${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    token,
    root,
    runtimeDir: env.JUPYTER_RUNTIME_DIR,
    async stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* gone */
      }
      await new Promise((r) => setTimeout(r, 500));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
