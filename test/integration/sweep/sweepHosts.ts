// Three sshd hosts on loopback with a fake BloomBee "repo": small bash scripts that print the log
// lines the analysers parse (case_000's lines) and behave like the real roles — servers run until
// stopped and spawn a child (so a leader-only kill would leave it behind), the client exits.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSshHosts, type SshTestHosts } from '../../support/sshd';

export interface SweepTestBed {
  hosts: SshTestHosts;
  /** Unique text in every command line this bed starts; pgrep -f on it finds leftovers. */
  marker: string;
  root: string;
  repo: string;
  results: string;
  local: string;
  /** PIDs of processes whose command line contains the marker (all hosts are this machine). */
  leftovers(): number[];
  config(over?: Record<string, unknown>): Record<string, unknown>;
  writeConfig(name: string, cfg: Record<string, unknown>): string;
  stop(): Promise<void>;
}

const fixtures = resolve('test/fixtures/sweep/bloombee/case_000');

export async function startSweepTestBed(): Promise<SweepTestBed> {
  const hosts = await startSshHosts(3, { aliasPrefix: 'airlock-sweep' });
  const marker = `airlock-sweep-it-${process.pid}-${Date.now()}`;
  const root = mkdtempSync(join(tmpdir(), `${marker}-`));
  const repo = join(root, 'repo');
  mkdirSync(repo);
  cpSync(fixtures, join(repo, 'fixture'), { recursive: true });
  const script = (name: string, body: string) => {
    writeFileSync(join(repo, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(repo, name), 0o755);
  };
  // A child that outlives a leader-only kill: the original's stop left exactly this running.
  script('child.sh', 'while true; do sleep 0.2; done');
  script(
    'server.sh',
    [
      'role=$1',
      'case "$role" in server1|server2) cat "fixture/$role.log";; *) echo "dht up";; esac',
      'echo "env BLOOMBEE_MICRO_BATCH_SIZE=${BLOOMBEE_MICRO_BATCH_SIZE:-unset} role=$role"',
      `bash "${repo}/child.sh" &`,
      'while true; do sleep 0.2; done',
    ].join('\n'),
  );
  script('client.sh', ['cat fixture/inference.log', 'sleep "${CLIENT_SLEEP:-0.3}"', 'exit "${CLIENT_EXIT:-0}"'].join('\n'));
  const results = join(root, 'remote-runs');
  const local = join(root, 'collected');
  const leftovers = () => {
    const r = spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' });
    return r.stdout
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((p) => p !== process.pid);
  };
  return {
    hosts,
    marker,
    root,
    repo,
    results,
    local,
    leftovers,
    config(over = {}) {
      return {
        host_defaults: { repo_dir: repo, activate: '', ssh_options: ['BatchMode=yes', 'ServerAliveInterval=5'] },
        hosts: {
          dht: { host: 'airlock-sweep-1' },
          server1: { host: 'airlock-sweep-2' },
          server2: { host: 'airlock-sweep-3' },
          client: { host: 'airlock-sweep-3' },
        },
        schedule: {
          wait_after_dht_sec: 0,
          wait_after_server1_sec: 0,
          wait_after_server2_sec: 0.2,
          teardown_wait_sec: 0,
          inter_case_sec: 0,
          client_timeout_sec: 60,
          results_root: results,
          run_tag: 'it',
          stop_grace_sec: 1,
        },
        shared_vars: { model: 'm' },
        commands: {
          dht: 'bash server.sh dht',
          server1: 'bash server.sh server1',
          server2: 'bash server.sh server2',
          client: 'bash client.sh --bs {batch_size}',
        },
        default_env: { all: { LOSSLESS: '{lossless_wrapper}' }, server1: { BLOOMBEE_MICRO_BATCH_SIZE: '{micro_batch_size}' } },
        cases: [{ name: 'a', vars: { batch_size: 84, micro_batch_size: 8, lossless_wrapper: 0 } }],
        ...over,
      };
    },
    writeConfig(name, cfg) {
      const path = join(root, name);
      writeFileSync(path, JSON.stringify(cfg, null, 2));
      return path;
    },
    async stop() {
      for (const pid of leftovers()) spawnSync('kill', ['-9', String(pid)]);
      await hosts.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
