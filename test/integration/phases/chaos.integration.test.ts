// Six workers drain 240 entries from one bare repository while workers are SIGKILLed and
// restarted at random and the remote disappears for a while. Every entry must end with exactly one
// result, no claim may be left, and an entry may run twice only if a worker running it was killed.
// The chaos is drawn from a seed, printed first: AIRLOCK_CHAOS_SEED=<seed> replays the same kills
// (which worker, after how long; the machine's timing still varies).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliBundle } from '../../support/cliBundle';
import { makeGitQueue, type GitQueue } from '../../support/gitQueue';

const models = ['llama_3_8b', 'qwen_2', 'mistral', 'phi_3_mini'];
const plan = (runLog: string) => ({
  leaseSec: 5,
  phases: [
    {
      name: 'p1',
      axes: { level: ['a', 'b', 'c', 'd', 'e', 'f'], model: models, config: ['base', 'tuned_x'] },
      reruns: 5,
      // Each run appends "start <entry> <worker pid>" (O_APPEND) so the test can count runs.
      command: `echo "start {entry} $PPID" >> ${runLog}; sleep 0.0$((RANDOM % 9)); echo '{{"entry": "{entry}", "model": "{model}"}}' > {result}`,
    },
  ],
});

// Six workers on the default (branch) protocol, as before. Sixteen workers on the ref protocol is
// issue #14's open item: at 16 that protocol once ran an entry twice without a kill (seed 702414550).
const workers = 6;
const seed = Number(process.env.AIRLOCK_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`chaos seed ${seed} (replay: AIRLOCK_CHAOS_SEED=${seed})`);
/** mulberry32: a small seeded generator, so a failing run's chaos can be replayed. */
const random = (() => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();

let q: GitQueue | undefined;
after(() => q?.dispose());

test(`${workers} workers, random SIGKILLs and an unreachable remote: every entry has exactly one result (seed ${seed})`, { timeout: 600_000 }, async () => {
  const cli = cliBundle();
  const runLog = join(tmpdir(), `airlock-chaos-${process.pid}.log`);
  q = makeGitQueue(plan(runLog));
  const queue = q;
  const gen = spawnSyncCli(cli, queue.seed, ['phases', 'generate']);
  assert.equal(gen.status, 0, gen.stderr);
  const clones = Array.from({ length: workers }, (_, i) => queue.clone(`w${i + 1}`));
  const running = new Map<number, ChildProcess>();
  const exited = new Map<number, Promise<number | null>>();
  const killedPids = new Set<number>();
  const stderrs: string[] = [];
  const start = (i: number) => {
    const child = spawn(process.execPath, [cli, 'worker', '--host', `w${i + 1}`, '--quiet', '--heartbeat-sec', '1', '--backoff-ms', '200'], {
      cwd: clones[i],
      env: { ...process.env, AIRLOCK_VRAM_GB: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    running.set(i, child);
    exited.set(
      i,
      new Promise((r) =>
        child.on(
          'exit',
          (code) => (
            stderrs.push(
              `w${i + 1}[${child.pid}] exit ${code}: ${err
                .split('\n')
                .filter(
                  (l) =>
                    !l.startsWith('[worker] claimed') &&
                    !l.startsWith('[worker] running') &&
                    !l.startsWith('[worker] finished') &&
                    !l.startsWith('[worker] pushed'),
                )
                .slice(-6)
                .join('\n')}`,
            ),
            r(code)
          ),
        ),
      ),
    );
  };
  for (let i = 0; i < workers; i++) start(i);

  // Chaos: kill and restart workers at random; take the remote away for 3 s once.
  const alive = () => [...running.entries()].filter(([, c]) => c.exitCode === null && c.signalCode === null);
  let kills = 0;
  for (let round = 0; round < 14 && alive().length; round++) {
    await new Promise((r) => setTimeout(r, 700 + random() * 800));
    if (round === 5) {
      queue.disconnect();
      await new Promise((r) => setTimeout(r, 3000));
      queue.reconnect();
      continue;
    }
    const candidates = alive();
    if (!candidates.length) break;
    const [i, child] = candidates[Math.floor(random() * candidates.length)]!;
    killedPids.add(child.pid!);
    child.kill('SIGKILL');
    kills++;
    await exited.get(i);
    await new Promise((r) => setTimeout(r, 200));
    start(i);
  }
  // Restarted workers may themselves have been replaced; wait for the last generation.
  for (;;) {
    const pending = alive();
    if (!pending.length) break;
    await Promise.all(pending.map(([i]) => exited.get(i)));
  }

  const expected = 6 * models.length * 2 * 5;
  const results = queue.remoteFiles('data/runs').filter((p) => /^data\/runs\/[^/]+\.json$/.test(p));
  assert.equal(results.length, expected, `results: ${results.length}/${expected}\n${stderrs.join('\n')}`);
  assert.equal(new Set(results).size, expected);
  assert.deepEqual(queue.remoteClaims(), [], 'no claim is left behind (no claim file, no claim ref)');
  assert.deepEqual(
    [...queue.remoteRefs().values()].filter((k) => k !== 'done'),
    [],
    'every entry ref holds a result',
  );
  assert.deepEqual(queue.remoteFiles('data/runs/failed'), [], 'nothing failed');
  const todo = queue.remoteFile('data/phase/p1.txt').trim().split('\n');
  for (const entry of todo) {
    const r = JSON.parse(queue.remoteFile(`data/runs/${entry}`)) as { entry: string; model: string };
    assert.equal(r.entry, entry, 'the result belongs to its entry');
    assert.ok(models.includes(r.model), `model "${r.model}" round-trips through the entry name`);
  }
  // Runs per entry: every extra run must come from a worker that was killed.
  const starts = readFileSync(runLog, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '));
  const byEntry = new Map<string, number[]>();
  for (const [, entry, pid] of starts) byEntry.set(entry!, [...(byEntry.get(entry!) ?? []), Number(pid)]);
  assert.equal(byEntry.size, expected, 'every entry ran');
  let duplicates = 0;
  for (const [entry, pids] of byEntry) {
    if (pids.length === 1) continue;
    duplicates += pids.length - 1;
    const fromKilled = pids.filter((p) => killedPids.has(p)).length;
    assert.ok(fromKilled >= pids.length - 1, `${entry} ran ${pids.length} times (pids ${pids.join(', ')}) but only ${fromKilled} of its workers were killed`);
  }
  console.log(
    `chaos (seed ${seed}): ${workers} workers, ${expected} entries, ${kills} SIGKILLs, 3 s without a remote, ${duplicates} re-runs (all after a kill)`,
  );
});

function spawnSyncCli(cli: string, cwd: string, args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
}
