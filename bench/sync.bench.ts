// No-hang check: the step time of a checkpoint-writing loop (a CPU-bound "training step", then a
// 2 MB checkpoint written to a temp name and renamed into place) without and with `airlock sync
// watch` uploading every checkpoint to the fake Drive and fake Hub in the background. Prints the
// ratio measured in one run. Run: npx tsx bench/sync.bench.ts
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killGroup, startCli, startFakes, writeConfig } from '../test/integration/protocol/syncSupport';

function step(): void {
  let h = Buffer.alloc(32);
  for (let i = 0; i < 20_000; i++) h = createHash('sha256').update(h).digest();
}

async function loop(dir: string, steps: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    step();
    const p = join(dir, `step_${i}.pt`);
    writeFileSync(`${p}.tmp`, randomBytes(2 * 1024 * 1024));
    renameSync(`${p}.tmp`, p);
    times.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 50));
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'airlock-sync-bench-'));
  const fakes = await startFakes(tmp);
  try {
    const a = join(tmp, 'without');
    const b = join(tmp, 'with');
    mkdirSync(a);
    mkdirSync(b);
    const cfg = join(tmp, 'sync.json');
    writeConfig(cfg, { folder: 'bench', repo: 'alice/bench', keepLocal: 3, intervalSec: 0.2 });
    const steps = 40;
    const without = await loop(a, steps);
    const sync = startCli(['sync', 'watch', b, '--config', cfg, ...fakes.endpoints], fakes.env);
    await new Promise((r) => setTimeout(r, 1500));
    const withSync = await loop(b, steps);
    await killGroup(sync, 'SIGTERM');
    const m0 = median(without);
    const m1 = median(withSync);
    console.log('| loop | median step (ms) | p90 step (ms) |\n|---|---|---|');
    const p90 = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length * 0.9)]!;
    console.log(`| without sync | ${m0.toFixed(1)} | ${p90(without).toFixed(1)} |`);
    console.log(`| with sync (Drive + Hub uploads) | ${m1.toFixed(1)} | ${p90(withSync).toFixed(1)} |`);
    console.log(`ratio with/without (median): ${(m1 / m0).toFixed(2)}`);
    console.log(`uploaded during the run: ${fakes.hub.repo('model', 'alice/bench')?.files.size ?? 0} to the Hub`);
  } finally {
    await fakes.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main().then(() => process.exit(0));
