import { runLocal } from '../process/runLocal';
import { parseNvidiaSmi } from '../hosts/probeParse';

/** The largest GPU's memory in GB (0 without nvidia-smi); AIRLOCK_VRAM_GB overrides. */
export async function detectVramGb(): Promise<number> {
  const override = process.env.AIRLOCK_VRAM_GB;
  if (override !== undefined && override !== '' && Number.isFinite(Number(override))) return Number(override);
  const r = await runLocal(
    'command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits',
    { timeoutMs: 15_000 },
  ).catch(() => undefined);
  if (!r || r.code !== 0) return 0;
  const { gpus } = parseNvidiaSmi(r.stdout);
  return Math.max(0, ...gpus.map((g) => Math.round((g.memoryTotalMiB / 1024) * 10) / 10));
}
