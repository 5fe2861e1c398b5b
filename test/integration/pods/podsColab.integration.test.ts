// `airlock pods colab` end to end: the fake RunPod's pod maps 22/tcp onto a real sshd on loopback,
// the command starts a real jupyter-server there the way Colab's local runtime needs it and opens
// the SSH tunnel; the URL it prints answers through the tunnel and trusts Colab's origin.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshHosts, type SshTestHosts } from '../../support/sshd';
import { createPod } from '../../../src/core/pods/provision';
import { selectOffers } from '../../../src/core/pods/offers';
import { apis, endWorld, spec, startWorld, testKey, type PodsWorld } from './podsFixture';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

for (const podsApi of apis)
  describe(`airlock pods colab (CLI, ${podsApi}) against the fake RunPod and a real sshd + jupyter-server`, { timeout: 180_000 }, () => {
    let w: PodsWorld;
    let ssh: SshTestHosts;
    let home: string;
    before(async () => {
      ssh = await startSshHosts(1);
      w = await startWorld({ sshEndpoint: { ip: '127.0.0.1', port: ssh.hosts[0]!.port } }, podsApi);
      home = mkdtempSync(join(tmpdir(), 'airlock-colab-cli-'));
    });
    after(async () => {
      rmSync(home, { recursive: true, force: true });
      await endWorld(w);
      await ssh.stop();
    });

    test('reuses a running pod with enough VRAM, starts Jupyter for Colab, hands out the tunnel URL; Ctrl+C says what happens to the session', async () => {
      const offers = selectOffers(await w.provider.offers({ gpuCount: 1 }), { gpuName: 'A40', spot: false });
      const pod = (await createPod(w.provider, { offers, spec: spec({ name: 'colab' }), pollIntervalMs: 20 })).pod;
      const remotePort = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'pods', 'colab', '--min-vram', '40', '--remote-port', String(remotePort)], {
        env: {
          ...process.env,
          HOME: home,
          RUNPOD_API_KEY: testKey,
          AIRLOCK_RUNPOD_ENDPOINT: w.endpoint,
          AIRLOCK_RUNPOD_API: podsApi,
          AIRLOCK_POD_SSH_IDENTITY: ssh.clientKeyPath,
          AIRLOCK_POD_KNOWN_HOSTS: join(home, 'known_hosts'),
        },
      });
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d));
      const exited = new Promise<number>((r) => child.on('exit', (c) => r(c ?? -1)));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d;
          const m = /\n {2}(http:\/\/localhost:\d+\/\?token=[0-9a-f]{48})\n/.exec(out);
          if (m) resolve(m[1]!);
        });
        void exited.then((c) => reject(new Error(`exited ${c}: ${err}`)));
      });
      try {
        assert.match(err, new RegExp(`using running pod ${pod.id} \\(A40, \\$0\\.350/hr\\)`));
        assert.match(err, /trusting the pod's new host key ssh-ed25519 SHA256:/);
        assert.match(out, /In Colab: Connect ▾ \(top right\) → "Connect to a local runtime…" → paste the URL → Connect\./);
        const token = new URL(url).searchParams.get('token')!;
        const api = new URL('/api/status', url);
        const ok = await fetch(api, { headers: { Authorization: `token ${token}`, Origin: 'https://colab.research.google.com' } });
        assert.equal(ok.status, 200, 'Jupyter answers through the tunnel with the token');
        assert.equal(ok.headers.get('access-control-allow-origin'), 'https://colab.research.google.com', "Colab's origin is trusted");
        const denied = await fetch(api, { headers: { Origin: 'https://colab.research.google.com' } });
        assert.equal(denied.status, 403, 'no token, no access');
        // The token is in no file Airlock wrote and in no command line on the pod.
        for (const f of readdirSync(join(home, '.airlock', 'pods'))) assert.ok(!readFileSync(join(home, '.airlock', 'pods', f), 'utf8').includes(token), f);
        const pid = readFileSync(`/tmp/airlock-colab-jupyter-${remotePort}.pid`, 'utf8').trim();
        assert.ok(!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(token), 'not in the Jupyter command line');
      } finally {
        child.kill('SIGINT');
        // Ctrl+C ends the session the way every stopped command ends: exit 130 after a clean stop.
        const code = await exited;
        const pid = existsSync(`/tmp/airlock-colab-jupyter-${remotePort}.pid`)
          ? readFileSync(`/tmp/airlock-colab-jupyter-${remotePort}.pid`, 'utf8').trim()
          : '';
        if (pid)
          try {
            process.kill(Number(pid), 'SIGTERM');
          } catch {
            /* already gone */
          }
        await w.provider.terminate(pod.id);
        assert.equal(code, 130, err);
      }
      assert.match(
        err,
        new RegExp(
          `Tunnel closed: Colab shows the runtime as disconnected and its cells stop running; the kernel keeps running on pod ${pod.id}, which keeps billing until you stop it`,
        ),
      );
    });
  });
