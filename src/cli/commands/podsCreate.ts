// `airlock pods create`: pick offers with the filter, create with fallback, wait, and keep the
// Jupyter password out of the terminal's scrollback unless asked (0600 file by default).
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../../core/fs/writeFileAtomic';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliContext } from '../types';
import { UsageError } from '../errors';
import { parseOfferFilter } from '../../core/pods/offerFilter';
import { describeOffer, selectOffers } from '../../core/pods/offers';
import { createPod, defaultMaxAttempts, type CreateProgress } from '../../core/pods/provision';
import { formatDuration } from '../../core/text/duration';
import { sshCommand, sshEndpoint } from '../../core/pods/endpoints';
import { keyValues, podsProvider, positiveInt, positiveNumber, providerOptions } from './podsContext';
import { enforceBudget, guardOptions, guardUsage, refuseGraphqlOnly, startupLogs, watchdogFromFlags } from './podsGuard';
import { podJson } from './podsFormat';

export const createUsage = `  airlock pods create --image IMAGE --name NAME [--filter EXPR] [--gpu-count N] [--spot [--bid USD]]
                      [--container-disk GB] [--volume GB] [--volume-path PATH] [--port 8888/http]...
                      [--env K=V]... [--docker-args ARGS] [--meta k=v]... [--no-jupyter]
                      [--max-attempts N] [--timeout SEC] [--poll SEC] [--no-wait]
                      [--password-file PATH | --print-password] [--json]
${guardUsage}`;

export async function createCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      image: { type: 'string' }, name: { type: 'string' }, filter: { type: 'string' }, 'gpu-count': { type: 'string' },
      spot: { type: 'boolean' }, bid: { type: 'string' }, 'container-disk': { type: 'string' }, volume: { type: 'string' },
      'volume-path': { type: 'string' }, port: { type: 'string', multiple: true }, env: { type: 'string', multiple: true },
      'docker-args': { type: 'string' }, meta: { type: 'string', multiple: true }, 'no-jupyter': { type: 'boolean' },
      'max-attempts': { type: 'string' }, timeout: { type: 'string' }, poll: { type: 'string' }, 'no-wait': { type: 'boolean' },
      'password-file': { type: 'string' }, 'print-password': { type: 'boolean' }, json: { type: 'boolean' }, ...providerOptions, ...guardOptions,
    },
  });
  if (!values.image) throw new UsageError(`create needs --image\n${createUsage}`);
  if (!values.name) throw new UsageError(`create needs --name\n${createUsage}`);
  if (values['password-file'] && values['print-password']) throw new UsageError('--password-file and --print-password exclude each other');
  const gpuCount = positiveInt('--gpu-count', values['gpu-count'], 1);
  const clauses = values.filter ? parseOfferFilter(values.filter) : [];
  // On-demand unless asked: a spot pod can be stopped any time it is outbid.
  const spot = values.spot ? true : clauses.some((c) => c.field === 'spot') ? undefined : false;
  const provider = podsProvider(values);
  refuseGraphqlOnly(values, provider);
  const offers = selectOffers(await provider.offers({ gpuCount }, ctx.signal), { clauses, spot });
  const timeoutMs = (positiveNumber('--timeout', values.timeout) ?? 600) * 1000;
  const say = (line: string) => ctx.stderr.write(`${line}\n`);
  const watchdog = watchdogFromFlags(values, provider);
  if (!(await enforceBudget(provider, offers, values, ctx))) return 1;
  const logs = startupLogs(provider, ctx, values);
  const created = await createPod(provider, {
    offers,
    spec: {
      image: values.image,
      name: values.name,
      containerDiskGb: values['container-disk'] ? positiveInt('--container-disk', values['container-disk'], 50) : undefined,
      volumeGb: values.volume ? positiveInt('--volume', values.volume, 0) : undefined,
      volumeMountPath: values['volume-path'],
      ports: values.port,
      env: keyValues('--env', values.env),
      dockerArgs: values['docker-args'],
      metadata: keyValues('--meta', values.meta),
      jupyter: !values['no-jupyter'],
      bidPerGpu: positiveNumber('--bid', values.bid),
      watchdog,
    },
    maxAttempts: positiveInt('--max-attempts', values['max-attempts'], defaultMaxAttempts),
    wait: !values['no-wait'],
    readyTimeoutMs: timeoutMs,
    pollIntervalMs: (positiveNumber('--poll', values.poll) ?? 5) * 1000,
    signal: ctx.signal,
    onProgress: (p) => {
      logs.onProgress(p);
      say(progressLine(p));
    },
  }).finally(() => logs.stop());
  const { pod, jupyterPassword } = created;
  let passwordFile: string | undefined;
  if (jupyterPassword && !values['print-password']) {
    passwordFile = values['password-file'] ?? join(homedir(), '.airlock', 'pods', `${pod.id}.jupyter-password`);
    await mkdir(dirname(passwordFile), { recursive: true, mode: 0o700 });
    await writeFileAtomic(passwordFile, jupyterPassword + '\n', { mode: 0o600, forceMode: true });
  }
  const proxy = provider.proxyUrl(pod.id, 8888);
  if (values.json) {
    ctx.stdout.write(JSON.stringify({
      pod: podJson(pod, (id, port) => provider.proxyUrl(id, port)),
      ...(passwordFile ? { jupyterPasswordFile: passwordFile } : {}),
      ...(values['print-password'] && jupyterPassword ? { jupyterPassword } : {}),
    }, null, 2) + '\n');
    return 0;
  }
  const ssh = sshEndpoint(pod);
  ctx.stdout.write(`pod ${pod.id} (${pod.name}) ${pod.state}: ${pod.gpuCount}× ${pod.gpuName ?? '?'} at $${pod.costPerHour.toFixed(3)}/hr\n`);
  if (jupyterPassword) {
    ctx.stdout.write(`jupyter: ${proxy}\n`);
    if (passwordFile) ctx.stdout.write(`jupyter password: in ${passwordFile} (mode 600)\n`);
    else ctx.stdout.write(`jupyter password: ${jupyterPassword}   (shown once; it is also the token)\n`);
  }
  if (ssh) ctx.stdout.write(`ssh: ${sshCommand(ssh)}   tunnel: ${sshCommand(ssh, { localPort: 8888, remotePort: 8888 })}\n`);
  ctx.stdout.write(`it bills until you run: airlock pods stop ${pod.id}   (or terminate)\n`);
  return 0;
}

function progressLine(p: CreateProgress): string {
  switch (p.kind) {
    case 'trying-offer': return `trying ${describeOffer(p.offer)} (${p.attempt}/${p.of})…`;
    case 'no-capacity': return `  ${p.message}`;
    case 'created': return `created pod ${p.pod.id}; waiting for it to start…`;
    case 'waiting': return `  ${p.wait.message} (${formatDuration(p.wait.elapsedMs)})`;
    case 'ready': return `pod ${p.pod.id} is ready`;
    case 'checking-orphan': return `checking whether RunPod created "${p.name}" anyway…`;
    case 'terminating': return `terminating pod ${p.podId} (${p.reason})…`;
    case 'terminated': return `pod ${p.podId} terminated`;
  }
}
