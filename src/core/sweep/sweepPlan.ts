// Everything a run will do, rendered before anything runs: per case its tag, context, role
// commands and env (Python str.format; a missing variable fails here, naming the case and field,
// instead of halfway through the night as the original did), job names and log paths.
import { pyPathJoin } from '../analysis/pyPath';
import { sweepIntKeys } from '../analysis/sweepMatrix';
import { formatPy, TemplateError } from './pyTemplate';
import { isDict, parseIntLike, pyInt, PyInt, PyIntError, pyRepr, pyStr, type PyDict, type PyValue } from './pyValue';
import { buildRoleHosts, type RoleHost } from './roleHosts';
import { composeJobCmd, type ScriptStyle } from './remoteScripts';
import { resolveRunTag, resolveSchedule, type SweepMode, type SweepSchedule } from './sweepSchedule';
import type { JsonPath, SweepConfig } from './sweepConfig';

export interface JobPlan {
  role: string;
  /** Job name printed in STARTED/STOPPED lines, e.g. `<case_tag>_server1` or `<run_tag>_dht_shared`. */
  name: string;
  host: RoleHost;
  /** Remote log; the pid file is `<log>.pid`. */
  log: string;
  /** Where collect puts the log locally. */
  localLog: string;
  jobCmd: string;
}

export interface CasePlan {
  index: number;
  name: string;
  tag: string;
  remoteRoot: string;
  localDir: string;
  /** Background jobs started for this case, in start order. */
  background: JobPlan[];
  foreground: JobPlan;
  reinstall: { role: string; host: RoleHost; jobCmd: string }[];
  /** The sweep's int columns (batch_size, micro_batch_size, compression, ...). */
  ints: Record<(typeof sweepIntKeys)[number], bigint>;
  /** What collect passes to the trade-off matrix (`--case ...,compression=C,offload=O,batch=B,seq=S`). */
  tradeoff: { compression: bigint; offload: bigint; batch: bigint; seq: bigint };
}

export interface SweepPlan {
  mode: SweepMode;
  style: ScriptStyle;
  runTag: string;
  localRoot: string;
  schedule: SweepSchedule;
  hosts: Map<string, RoleHost>;
  roles: SweepConfig['roles'];
  /** Queue with reuse_dht: jobs started once for the whole run. */
  shared: JobPlan[];
  cases: CasePlan[];
  warnings: string[];
  config: SweepConfig;
}

export interface PlanOptions {
  mode?: SweepMode;
  runTag?: string;
  /** Default `./collected_runs`, as the original. */
  localRoot?: string;
  /**
   * Render every role's command and env (default true). Collect never runs them, so it plans with
   * false: like the original's collect, it accepts templates only the run would have needed.
   */
  renderJobs?: boolean;
}

const sweepDefaults: Record<(typeof sweepIntKeys)[number] | 'seq_len' | 'lossless_wrapper', bigint> = {
  eval_tokens: 200n,
  seq_len: 512n,
  batch_size: 1n,
  micro_batch_size: 0n,
  lossless_wrapper: 0n,
  offload: 1n,
  compression: 0n,
  policy_w_gpu_percent: 100n,
  policy_w_cpu_percent: 0n,
  policy_cache_gpu_percent: 100n,
  policy_cache_cpu_percent: 0n,
  policy_act_gpu_percent: 100n,
  policy_act_cpu_percent: 0n,
};

export const safeName = (s: string): string => [...s].map((ch) => (/^[\p{L}\p{N}\-_.]$/u.test(ch) ? ch : '_')).join('');

export function planSweep(cfg: SweepConfig, opts: PlanOptions = {}): SweepPlan {
  const mode = opts.mode ?? 'sequenced';
  const warnings = [...cfg.warnings];
  const schedule = resolveSchedule(cfg, mode, warnings);
  const hosts = buildRoleHosts(cfg, mode === 'queue' ? '/home/cc/BloomBee' : '/root/BloomBee', warnings);
  const runTag = resolveRunTag(cfg, opts.runTag);
  const localRoot = opts.localRoot ?? './collected_runs';
  const R = schedule.resultsRoot;
  const { background, foreground, shared } = cfg.roles;
  const reuse = mode === 'queue' && schedule.reuseDht;

  const render = (value: PyValue, ctx: PyDict, path: JsonPath, who: string): string => {
    try {
      return formatPy(pyStr(value), ctx);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      const why = err.missing !== undefined ? `uses {${err.missing}}, which is not defined for ${who}` : `is not a valid template for ${who}: ${err.message}`;
      throw cfg.error(path, `${why} (value: ${pyRepr(value)})`);
    }
  };
  const renderJobs = opts.renderJobs ?? true;
  const roleEnv = (role: string, caseEnv: PyDict, casePath: JsonPath | undefined, ctx: PyDict, who: string): Map<string, string> => {
    const env = new Map<string, string>();
    if (!renderJobs) return env;
    const sections: [PyValue | undefined, JsonPath][] = [
      [cfg.defaultEnv.get('all'), ['default_env', 'all']],
      [cfg.defaultEnv.get(role), ['default_env', role]],
    ];
    if (casePath) sections.push([caseEnv.get('all'), [...casePath, 'env', 'all']], [caseEnv.get(role), [...casePath, 'env', role]]);
    for (const [sec, path] of sections) if (isDict(sec)) for (const [k, v] of sec) env.set(k, render(v, ctx, [...path, k], who));
    return env;
  };
  const job = (role: string, name: string, log: string, localLog: string, ctx: PyDict, env: Map<string, string>, who: string): JobPlan => {
    const host = hosts.get(role)!;
    return {
      role,
      name,
      host,
      log,
      localLog,
      jobCmd: renderJobs ? composeJobCmd(host, env, render(cfg.commands.get(role)!, ctx, ['commands', role], who)) : '',
    };
  };

  const sharedJobs = reuse
    ? shared.map((role) => {
        const ctx: PyDict = new Map([...cfg.sharedVars, ['run_tag', runTag]]);
        return job(
          role,
          `${runTag}_${role}_shared`,
          `${R}/${runTag}/shared_${role}.log`,
          pyPathJoin(localRoot, runTag, `shared_${role}.log`),
          ctx,
          roleEnv(role, new Map(), undefined, ctx, 'the shared roles (shared_vars and run_tag only)'),
          'the shared roles (shared_vars and run_tag only)',
        );
      })
    : [];

  const cases = cfg.cases.map((c): CasePlan => {
    const tag = `${runTag}_${String(c.index).padStart(3, '0')}_${safeName(c.name)}`;
    const who = `case ${c.index} "${c.name}"`;
    const remoteRoot = `${R}/${tag}`;
    const localDir = pyPathJoin(localRoot, tag);
    const ctx: PyDict = new Map([...cfg.sharedVars, ...c.vars]);
    ctx.set('case_index', new PyInt(BigInt(c.index)));
    ctx.set('case_name', c.name);
    ctx.set('case_tag', tag);
    ctx.set('case_root', remoteRoot);
    ctx.set('run_tag', runTag);
    const collectCtx = new Map(ctx);
    const ints = {} as CasePlan['ints'];
    // The sweep coerces these with int() before rendering, so `{batch_size}` prints "84" even for "84" or 84.0.
    for (const key of [...sweepIntKeys.filter((k) => k !== 'compression'), 'seq_len', 'lossless_wrapper'] as const) {
      const v = ctx.get(key);
      const source: JsonPath = c.vars.has(key) ? ['cases', c.index, 'vars', key] : ['shared_vars', key];
      let n: bigint;
      try {
        n = v === undefined ? sweepDefaults[key] : mode === 'sequenced' ? pyInt(v) : parseIntLike(v, sweepDefaults[key]);
      } catch (err) {
        throw cfg.error(source, `must be an integer for ${who} (${(err as PyIntError).message})`);
      }
      if (mode === 'sequenced') ctx.set(key, new PyInt(n));
      if (key !== 'seq_len' && key !== 'lossless_wrapper') ints[key] = n;
    }
    ints.compression = (ctx.get('lossless_wrapper') as PyInt | undefined)?.value ?? parseIntLike(ctx.get('lossless_wrapper'), 0n);
    const casePath: JsonPath = ['cases', c.index];
    const env = (role: string) => roleEnv(role, c.env, casePath, ctx, who);
    const perCase = background.filter((r) => !(reuse && shared.includes(r)));
    const reinstall: CasePlan['reinstall'] = [];
    if (schedule.reinstallEachCase) {
      const seen = new Set<string>();
      for (const role of schedule.reinstallRoles) {
        const host = hosts.get(role);
        if (!host) continue;
        const key = JSON.stringify([host.address, host.port ?? null, host.repoDir]);
        if (seen.has(key)) continue;
        seen.add(key);
        const known = background.includes(role) || role === foreground;
        reinstall.push({ role, host, jobCmd: composeJobCmd(host, known ? env(role) : new Map(), schedule.reinstallCmd) });
      }
    }
    return {
      index: c.index,
      name: c.name,
      tag,
      remoteRoot,
      localDir,
      ints,
      reinstall,
      background: perCase.map((role) => job(role, `${tag}_${role}`, `${remoteRoot}/${role}.log`, pyPathJoin(localDir, `${role}.log`), ctx, env(role), who)),
      foreground: job(foreground, `${tag}_${foreground}`, `${remoteRoot}/inference.log`, pyPathJoin(localDir, 'inference.log'), ctx, env(foreground), who),
      tradeoff: {
        compression: compressionFlag(cfg, c.env, collectCtx, casePath, who, render),
        offload: parseIntLike(collectCtx.get('offload'), 1n),
        batch: parseIntLike(collectCtx.get('batch_size'), 0n),
        seq: parseIntLike(collectCtx.get('seq_len'), 0n),
      },
    };
  });
  return { mode, style: mode, runTag, localRoot, schedule, hosts, roles: cfg.roles, shared: sharedJobs, cases, warnings, config: cfg };
}

/** collect_and_analyze.py's `_resolve_compression_flag`: env BLOOMBEE_LOSSLESS_WRAPPER (case, then default), else vars.lossless_wrapper, else 0. */
function compressionFlag(
  cfg: SweepConfig,
  caseEnv: PyDict,
  ctx: PyDict,
  casePath: JsonPath,
  who: string,
  render: (v: PyValue, c: PyDict, p: JsonPath, w: string) => string,
): bigint {
  for (const [blob, path] of [
    [caseEnv, [...casePath, 'env', 'all']],
    [cfg.defaultEnv, ['default_env', 'all']],
  ] as [PyDict, JsonPath][]) {
    const sec = blob.get('all');
    const v = isDict(sec) ? sec.get('BLOOMBEE_LOSSLESS_WRAPPER') : undefined;
    if (v !== undefined && v !== null) return parseIntLike(render(v, ctx, [...path, 'BLOOMBEE_LOSSLESS_WRAPPER'], who), 0n);
  }
  return ctx.has('lossless_wrapper') ? parseIntLike(ctx.get('lossless_wrapper'), 0n) : 0n;
}
