// `schedule` with the originals' defaults per mode. Numbers may be ints, floats (kept: 0.5 s waits
// are useful in tests; the original truncated them) or numeric strings, as int() accepted.
import { pyStr, PyFloat, PyInt, pyTruthy, type PyValue } from './pyValue';
import type { SweepConfig } from './sweepConfig';

export type SweepMode = 'queue' | 'sequenced';

export interface SweepSchedule {
  resultsRoot: string;
  teardownWaitSec: number;
  clientTimeoutSec: number;
  /** Queue: wait after starting the shared roles, and after the servers of each case. */
  startupWaitSec: number;
  /** Queue: pause between cases. */
  intervalSec: number;
  /** Queue: start the shared roles (the DHT) once for the whole run. */
  reuseDht: boolean;
  /** Sequenced: wait after starting each background role (`wait_after_<role>_sec`). */
  waitAfter: Map<string, number>;
  /** Sequenced: pause between cases. */
  interCaseSec: number;
  reinstallEachCase: boolean;
  reinstallRoles: string[];
  reinstallCmd: string;
  reinstallTimeoutSec: number;
  /** Seconds between SIGTERM and SIGKILL when stopping a background job (Airlock's own key). */
  stopGraceSec: number;
}

const scheduleKeys = [
  'interval_sec',
  'startup_wait_sec',
  'teardown_wait_sec',
  'client_timeout_sec',
  'reuse_dht',
  'results_root',
  'run_tag',
  'inter_case_sec',
  'reinstall_editable_each_case',
  'reinstall_roles',
  'reinstall_cmd',
  'reinstall_timeout_sec',
  'stop_grace_sec',
];

export function resolveSchedule(cfg: SweepConfig, mode: SweepMode, warnings: string[]): SweepSchedule {
  const s = cfg.schedule;
  for (const k of s.keys()) {
    if (!scheduleKeys.includes(k) && !/^wait_after_.+_sec$/.test(k)) warnings.push(cfg.error(['schedule', k], 'is not a schedule key (ignored)').message);
  }
  const num = (key: string, fallback: number): number => {
    const v: PyValue | undefined = s.get(key);
    if (v === undefined) return fallback;
    const n =
      v instanceof PyInt
        ? Number(v.value)
        : v instanceof PyFloat
          ? v.value
          : typeof v === 'boolean'
            ? Number(v)
            : typeof v === 'string' && /^\s*[+-]?\d+(\.\d*)?\s*$/.test(v)
              ? Number(v)
              : NaN;
    if (!Number.isFinite(n) || n < 0) throw cfg.error(['schedule', key], `must be a number of seconds ≥ 0, not ${pyStr(v)}`);
    return n;
  };
  const queue = mode === 'queue';
  const roles = s.get('reinstall_roles');
  if (roles !== undefined && (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')))
    throw cfg.error(['schedule', 'reinstall_roles'], 'must be a list of role names');
  return {
    resultsRoot: s.has('results_root') ? pyStr(s.get('results_root')!) : queue ? '/home/cc/bb_sweep_runs' : '/tmp/bb_sensitivity_runs',
    teardownWaitSec: num('teardown_wait_sec', 3),
    clientTimeoutSec: num('client_timeout_sec', 4 * 3600),
    startupWaitSec: num('startup_wait_sec', 60),
    intervalSec: num('interval_sec', 1800),
    reuseDht: s.has('reuse_dht') ? pyTruthy(s.get('reuse_dht')) : true,
    waitAfter: new Map(cfg.roles.background.map((r) => [r, num(`wait_after_${r}_sec`, 30)])),
    interCaseSec: num('inter_case_sec', 5),
    reinstallEachCase: pyTruthy(s.get('reinstall_editable_each_case')),
    reinstallRoles: (roles as string[] | undefined) ?? ['server1', 'server2', 'client'],
    reinstallCmd: s.has('reinstall_cmd') ? pyStr(s.get('reinstall_cmd')!) : 'pip install -e .',
    reinstallTimeoutSec: num('reinstall_timeout_sec', 3600),
    stopGraceSec: num('stop_grace_sec', 2),
  };
}

/** The run tag: --run-tag, else schedule.run_tag, else the UTC time as `%Y%m%d_%H%M%S`. */
export function resolveRunTag(cfg: SweepConfig, explicit?: string): string {
  if (explicit) return explicit;
  const v = cfg.schedule.get('run_tag');
  const fromConfig = v === undefined || v === null ? '' : pyStr(v).trim();
  if (fromConfig) return fromConfig;
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** How the original printed a number of seconds (`int` in Python): "30", or "0.5" for our fractional waits. */
export function secText(n: number): string {
  return String(n);
}
