// Sweep controller overhead per case, as a ratio to the same remote commands run by plain `ssh`/`scp`
// in a loop (what the original scripts did: one ssh process per command). Zero waits, trivial roles,
// three sshd hosts on loopback. Prints numbers measured in this one run; never asserts.
//   npx tsx bench/sweep.bench.ts [cases]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshHosts } from '../test/support/sshd';
import { parseSweepConfigText } from '../src/core/sweep/sweepConfig';
import { runSweep } from '../src/core/sweep/runSweep';
import { planSweep } from '../src/core/sweep/sweepPlan';
import { clientScript, startScript, stopScript } from '../src/core/sweep/remoteScripts';
import { shlexQuote } from '../src/core/sweep/shlex';

const cases = Number(process.argv[2] ?? 5);

async function main(): Promise<void> {
  const hosts = await startSshHosts(3, { aliasPrefix: 'airlock-bench' });
  const root = mkdtempSync(join(tmpdir(), 'airlock-sweep-bench-'));
  try {
    const cfg = (tag: string) => ({
      host_defaults: { repo_dir: root },
      hosts: {
        dht: { host: 'airlock-bench-1' },
        server1: { host: 'airlock-bench-2' },
        server2: { host: 'airlock-bench-3' },
        client: { host: 'airlock-bench-3' },
      },
      schedule: {
        wait_after_dht_sec: 0,
        wait_after_server1_sec: 0,
        wait_after_server2_sec: 0,
        teardown_wait_sec: 0,
        inter_case_sec: 0,
        results_root: join(root, 'remote'),
        run_tag: tag,
        stop_grace_sec: 1,
      },
      commands: { dht: 'exec sleep 300', server1: 'exec sleep 300', server2: 'exec sleep 300', client: 'true' },
      cases: Array.from({ length: cases }, (_, i) => ({ name: `c${i}`, vars: {} })),
    });
    const airlock = async (tag: string, tailLogs: boolean) => {
      const config = parseSweepConfigText(JSON.stringify(cfg(tag)), 'bench.json');
      const t0 = performance.now();
      const r = await runSweep(
        config,
        { sshConfigPath: hosts.sshConfigPath, agentSocket: null, localRoot: join(root, 'local'), tailLogs },
        new AbortController().signal,
        () => undefined,
      );
      const ms = performance.now() - t0;
      if (r.cases.some((c) => c.state !== 'done')) throw new Error(`bench run failed: ${JSON.stringify(r.cases)}`);
      return ms / cases;
    };
    // The same scripts, one ssh/scp process each, as the original ran them.
    const plainSsh = (tag: string) => {
      const plan = planSweep(parseSweepConfigText(JSON.stringify(cfg(tag)), 'bench.json'), { mode: 'sequenced', localRoot: join(root, 'plain') });
      const ssh = (alias: string, script: string) =>
        execFileSync('ssh', ['-F', hosts.sshConfigPath, alias, `bash -lc ${shlexQuote(script)}`], { stdio: 'pipe' });
      const t0 = performance.now();
      for (const c of plan.cases) {
        for (const j of c.background) ssh(j.host.host, startScript('sequenced', j.name, j.log, j.jobCmd));
        ssh(c.foreground.host.host, clientScript('sequenced', c.foreground.log, c.foreground.jobCmd));
        for (const j of [...c.background].reverse()) ssh(j.host.host, stopScript(j.name, j.log, 1));
        mkdirSync(c.localDir, { recursive: true });
        for (const j of [...c.background, c.foreground])
          execFileSync('scp', ['-q', '-F', hosts.sshConfigPath, `${j.host.host}:${j.log}`, j.localLog], { stdio: 'pipe' });
      }
      return (performance.now() - t0) / cases;
    };
    await airlock('warmup', false);
    const plain = plainSsh('plain');
    const cli = await airlock('cli', false);
    const editor = await airlock('editor', true);
    writeFileSync(join(root, 'done'), '');
    const f = (ms: number) => `${ms.toFixed(0).padStart(6)} ms/case`;
    console.log(`sweep controller overhead, ${cases} cases × (3 starts, 1 client, 3 stops, 4 log copies), zero waits:`);
    console.log(`  plain ssh/scp per command      ${f(plain)}   1.00×`);
    console.log(`  airlock (pooled ssh2, no tail) ${f(cli)}   ${(cli / plain).toFixed(2)}×`);
    console.log(`  airlock (+ live log tails)     ${f(editor)}   ${(editor / plain).toFixed(2)}×`);
  } finally {
    await hosts.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
