// The paper model of docs/phases.md against a remote reached over SSH (OpenSSH sshd on loopback, a
// new connection per git operation, as a worker pays it): the latency L of one git operation
// (fetch, ref-creating push), then entries/min of 1 and 8 workers with no-op and 2 s entries next
// to the model's 60 / (D + 3L) per worker. Prints, never asserts. Needs root and openssh-server.
//   npx tsx bench/phasesSsh.bench.ts
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBundle } from '../test/support/cliBundle';
import { makeGitQueue } from '../test/support/gitQueue';
import { startSshHosts } from '../test/support/sshd';

const cli = cliBundle();
const home = mkdtempSync(join(tmpdir(), 'airlock-bench-home-'));
const plan = (n: number, command: string) => ({ phases: [{ name: 'bench', axes: { i: Array.from({ length: n }, (_, i) => `e${i}`) }, reruns: 1, command }] });

async function main(): Promise<void> {
  const ssh = await startSshHosts(1, { aliasPrefix: 'airlock-bench' });
  const sshEnv = { ...process.env, HOME: home, AIRLOCK_VRAM_GB: '0', GIT_SSH_COMMAND: `ssh -F ${ssh.sshConfigPath} -o BatchMode=yes` };
  const alias = ssh.hosts[0]!.alias;
  try {
    console.log(
      `phases over SSH (sshd on loopback): load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    // L: one git operation over SSH.
    const q = makeGitQueue(plan(1, 'true'));
    const c = q.clone('lat');
    q.git(c, 'remote', 'set-url', 'origin', `${alias}:${q.remote}`);
    const empty = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
    const time = (fn: (i: number) => void, n: number) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) fn(i);
      return (performance.now() - t0) / n / 1000;
    };
    const push = time((i) => {
      const oid = execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit-tree', empty, '-m', `claim ${i}`], {
        cwd: c,
        encoding: 'utf8',
      }).trim();
      execFileSync('git', ['push', '-q', `--force-with-lease=refs/airlock/main/e${i}:`, 'origin', `${oid}:refs/airlock/main/e${i}`], {
        cwd: c,
        env: sshEnv,
        stdio: 'ignore',
      });
    }, 20);
    const fetch = time(
      () => execFileSync('git', ['fetch', '-q', 'origin', '+refs/airlock/main/*:refs/airlock-remote/origin/main/*'], { cwd: c, env: sshEnv, stdio: 'ignore' }),
      20,
    );
    q.dispose();
    const L = (push + fetch) / 2;
    console.log(`L over SSH: push ${push.toFixed(3)} s, fetch ${fetch.toFixed(3)} s (mean ${L.toFixed(3)} s)\n`);
    console.log('entries        D      workers  entries/min  model 60·W/(D+3L)  measured/model');
    for (const [n, d, command] of [
      [48, 0, `echo '{{"ok": 1}}' > {result}`],
      [16, 2, `sleep 2; echo '{{"ok": 1}}' > {result}`],
    ] as const) {
      for (const w of [1, 8]) {
        const qq = makeGitQueue(plan(n, command));
        execFileSync(process.execPath, [cli, 'phases', 'generate'], { cwd: qq.seed, stdio: 'ignore' });
        const clones = Array.from({ length: w }, (_, i) => {
          const cl = qq.clone(`w${i}`);
          qq.git(cl, 'remote', 'set-url', 'origin', `${alias}:${qq.remote}`);
          return cl;
        });
        const t0 = performance.now();
        await Promise.all(
          clones.map(
            (cwd, i) =>
              new Promise<void>((resolve) => {
                spawn(process.execPath, [cli, 'worker', '--host', `w${i}`, '--quiet', '--no-wait'], { cwd, env: sshEnv, stdio: 'ignore' }).on('exit', () =>
                  resolve(),
                );
              }),
          ),
        );
        const rate = n / ((performance.now() - t0) / 60_000);
        const done = qq.remoteFiles('data/runs').filter((f) => /^data\/runs\/[^/]+\.json$/.test(f)).length;
        qq.dispose();
        const model = (60 * Math.min(w, n)) / (d + 3 * L);
        console.log(
          `${String(n).padStart(7)}  ${String(d).padStart(5)} s  ${String(w).padStart(9)}  ${rate.toFixed(0).padStart(11)}  ${model.toFixed(0).padStart(18)}  ${(rate / model).toFixed(2).padStart(14)}${done === n ? '' : `  (only ${done}/${n} done)`}`,
        );
      }
    }
  } finally {
    await ssh.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

void main();
