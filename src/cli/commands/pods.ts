// `airlock pods offers|create|list|get|stop|resume|terminate`: RunPod pods from a terminal, with the
// same core as the editor's Pods view. Key from RUNPOD_API_KEY (never printed); endpoint from
// --endpoint, AIRLOCK_RUNPOD_ENDPOINT or RUNPOD_ENDPOINT (the fake in tests and the demo).
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { CliCommand, CliContext } from '../types';
import { UsageError } from '../errors';
import { isPodError } from '../../core/pods/errors';
import { matchesMetadata, parseMetadataPairs } from '../../core/pods/metadata';
import { parseOfferFilter } from '../../core/pods/offerFilter';
import { selectOffers } from '../../core/pods/offers';
import { waitReady } from '../../core/pods/readiness';
import { createCommand, createUsage } from './podsCreate';
import { cliPodError, podsProvider, positiveInt, positiveNumber, providerOptions } from './podsContext';
import { logsCommand, logsUsage } from './podsLogs';
import { colabCommand, colabUsage } from './podsColab';
import { orphansTable } from './podsOrphans';
import { findOrphans } from '../../core/pods/orphans';
import { offersTable, podJson, podsTable } from './podsFormat';

const usage = `Usage:
  airlock pods offers [--filter EXPR] [--gpu-count N] [--all] [--json]
${createUsage}
  airlock pods list [--meta k=v]... [--managed] [--orphans] [--json]
${logsUsage}
${colabUsage}
  airlock pods get ID [--json]
  airlock pods stop ID...
  airlock pods resume ID... [--wait [--timeout SEC] [--poll SEC]]   (also: start, REST v2's name for it)
  airlock pods terminate ID...
  airlock pods terminate --all-matching k=v [--all-matching k=v]... [--yes]
Every subcommand takes --api rest|graphql (default: AIRLOCK_RUNPOD_API, else rest = RunPod REST API v2;
graphql only for what v2 lacks: spot pods) and --endpoint URL (the API host; default:
AIRLOCK_RUNPOD_ENDPOINT, RUNPOD_ENDPOINT or https://api.runpod.io). The API key comes from RUNPOD_API_KEY.
--orphans: pods Airlock created that bill and that no on-pod watchdog guards, with $/hr and age.
Filter: clauses joined by &, e.g.  vram>=24 & price<0.5 & name~4090 & cloud=secure & spot=false
  fields vram (GB per GPU), price ($/hr for the pod), gpu_price, name (~ contains), cloud, spot, stock
  --all also lists offers RunPod reports as out of stock.`;

export const podsCommand: CliCommand = {
  name: 'pods',
  summary: 'RunPod GPU pods: offers, create with Jupyter, list, stop, resume, terminate',
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (!sub || sub === '--help' || sub === '-h' || sub === 'help' || rest.includes('--help') || rest.includes('-h')) {
      ctx.stdout.write(usage + '\n');
      return sub ? 0 : 2;
    }
    try {
      switch (sub) {
        case 'offers':
          return await offers(rest, ctx);
        case 'create':
          return await createCommand(rest, ctx);
        case 'list':
          return await list(rest, ctx);
        case 'get':
          return await get(rest, ctx);
        case 'logs':
          return await logsCommand(rest, ctx);
        case 'colab':
          return await colabCommand(rest, ctx);
        case 'stop':
        case 'resume':
        case 'terminate':
          return await lifecycle(sub, rest, ctx);
        case 'start':
          return await lifecycle('resume', rest, ctx);
        default:
          throw new UsageError(`unknown subcommand "${sub}"\n${usage}`);
      }
    } catch (err) {
      if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError(`${err.message}\n${usage}`);
      throw cliPodError(err);
    }
  },
};

const common = { ...providerOptions, json: { type: 'boolean' } } as const;

async function offers(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseArgs({ args, options: { ...common, filter: { type: 'string' }, 'gpu-count': { type: 'string' }, all: { type: 'boolean' } } });
  const clauses = values.filter ? parseOfferFilter(values.filter) : [];
  const gpuCount = positiveInt('--gpu-count', values['gpu-count'], 1);
  const provider = podsProvider(values, process.env, ctx.stderr);
  const found = selectOffers(await provider.offers({ gpuCount }, ctx.signal), { clauses, includeUnavailable: values.all });
  ctx.stdout.write(values.json ? JSON.stringify(found, null, 2) + '\n' : offersTable(found));
  return 0;
}

async function list(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...common, meta: { type: 'string', multiple: true }, managed: { type: 'boolean' }, orphans: { type: 'boolean' } },
  });
  const filter = parseMetadataPairs(values.meta ?? []);
  const provider = podsProvider(values, process.env, ctx.stderr);
  const pods = (await provider.list(ctx.signal)).filter((p) => (!values.managed || p.managedByAirlock) && matchesMetadata(p.metadata, filter));
  if (values.orphans) {
    const orphans = findOrphans(pods);
    ctx.stdout.write(
      values.json
        ? JSON.stringify(
            orphans.map((o) => ({ ...podJson(o.pod, (id, port) => provider.proxyUrl(id, port)), ageHours: o.ageHours ?? null })),
            null,
            2,
          ) + '\n'
        : orphansTable(orphans),
    );
    return 0;
  }
  ctx.stdout.write(
    values.json
      ? JSON.stringify(
          pods.map((p) => podJson(p, (id, port) => provider.proxyUrl(id, port))),
          null,
          2,
        ) + '\n'
      : podsTable(pods),
  );
  return 0;
}

async function get(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: common });
  if (positionals.length !== 1) throw new UsageError(`get takes one pod id\n${usage}`);
  const provider = podsProvider(values, process.env, ctx.stderr);
  const pod = await provider.get(positionals[0]!, ctx.signal);
  if (!pod) {
    ctx.stderr.write(`airlock pods: no pod ${positionals[0]}\n`);
    return 1;
  }
  ctx.stdout.write(
    values.json
      ? JSON.stringify(
          podJson(pod, (id, port) => provider.proxyUrl(id, port)),
          null,
          2,
        ) + '\n'
      : podsTable([pod]),
  );
  return 0;
}

async function lifecycle(action: 'stop' | 'resume' | 'terminate', args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...common,
      'all-matching': { type: 'string', multiple: true },
      yes: { type: 'boolean', short: 'y' },
      wait: { type: 'boolean' },
      timeout: { type: 'string' },
      poll: { type: 'string' },
    },
  });
  const matching = values['all-matching'];
  if (matching && action !== 'terminate') throw new UsageError('--all-matching works with terminate only');
  if (matching && positionals.length) throw new UsageError('give pod ids or --all-matching, not both');
  if (!matching && !positionals.length) throw new UsageError(`${action} needs at least one pod id\n${usage}`);
  const provider = podsProvider(values, process.env, ctx.stderr);
  let ids = positionals;
  if (matching) {
    const filter = parseMetadataPairs(matching);
    const pods = (await provider.list(ctx.signal)).filter((p) => p.managedByAirlock && matchesMetadata(p.metadata, filter));
    if (!pods.length) {
      ctx.stderr.write(`airlock pods: no Airlock pod matches ${matching.join(' & ')}\n`);
      return 0;
    }
    ctx.stderr.write(`${pods.length} pod(s) match ${matching.join(' & ')}:\n${podsTable(pods)}`);
    if (!values.yes && !(await confirm(`Terminate ${pods.length} pod(s)? Their disks are deleted. [y/N] `, ctx))) {
      ctx.stderr.write('airlock pods: nothing terminated (pass --yes to skip the question)\n');
      return process.stdin.isTTY ? 1 : 2;
    }
    ids = pods.map((p) => p.id);
  }
  let failed = 0;
  for (const id of ids) {
    try {
      if (action === 'stop') await provider.stop(id, ctx.signal);
      else if (action === 'resume') await provider.resume(id, ctx.signal);
      else await provider.terminate(id, ctx.signal);
      ctx.stdout.write(`${action === 'stop' ? 'stopped' : action === 'resume' ? 'resuming' : 'terminated'} ${id}\n`);
      if (action === 'resume' && values.wait) {
        const pod = await waitReady(provider, id, {
          timeoutMs: (positiveNumber('--timeout', values.timeout) ?? 600) * 1000,
          intervalMs: (positiveNumber('--poll', values.poll) ?? 5) * 1000,
          signal: ctx.signal,
        });
        ctx.stdout.write(`${id} is running again\n`);
        if (values.json)
          ctx.stdout.write(
            JSON.stringify(
              podJson(pod, (i, p) => provider.proxyUrl(i, p)),
              null,
              2,
            ) + '\n',
          );
      }
    } catch (err) {
      if (!isPodError(err)) throw err;
      failed++;
      ctx.stderr.write(`airlock pods: ${action} ${id} failed: ${cliPodError(err) instanceof Error ? (cliPodError(err) as Error).message : err.message}\n`);
    }
  }
  return failed ? 1 : 0;
}

/** Asks on a terminal; without one (scripts, CI) the answer is no and --yes is required. */
async function confirm(question: string, ctx: CliContext): Promise<boolean> {
  if (!process.stdin.isTTY) {
    ctx.stderr.write('airlock pods: not a terminal, cannot ask for confirmation\n');
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
