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
import { enforceBudget, guardOptions, guardUsage, refuseGraphqlOnly, sshAccessEnv, startupLogs, watchdogFromFlags } from './podsGuard';
import { outputDirFlag, outputFileFlag, secondsFlag } from '../flags';
import { isCancelled, throwIfAborted } from '../../core/process/errors';
import type { PodInfo, PodSpec } from '../../core/pods/types';
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
      image: { type: 'string' },
      name: { type: 'string' },
      filter: { type: 'string' },
      'gpu-count': { type: 'string' },
      spot: { type: 'boolean' },
      bid: { type: 'string' },
      'container-disk': { type: 'string' },
      volume: { type: 'string' },
      'volume-path': { type: 'string' },
      port: { type: 'string', multiple: true },
      env: { type: 'string', multiple: true },
      'docker-args': { type: 'string' },
      meta: { type: 'string', multiple: true },
      'no-jupyter': { type: 'boolean' },
      'max-attempts': { type: 'string' },
      timeout: { type: 'string' },
      poll: { type: 'string' },
      'no-wait': { type: 'boolean' },
      'password-file': { type: 'string' },
      'print-password': { type: 'boolean' },
      json: { type: 'boolean' },
      ...providerOptions,
      ...guardOptions,
    },
  });
  if (!values.image) throw new UsageError(`create needs --image\n${createUsage}`);
  if (!values.name) throw new UsageError(`create needs --name\n${createUsage}`);
  if (values['password-file'] && values['print-password']) throw new UsageError('--password-file and --print-password exclude each other');
  // Everything is checked before the first billable call: a bad flag must not cost a pod.
  const gpuCount = positiveInt('--gpu-count', values['gpu-count'], 1);
  const clauses = values.filter ? parseOfferFilter(values.filter) : [];
  // On-demand unless asked: a spot pod can be stopped any time it is outbid.
  const spot = values.spot ? true : clauses.some((c) => c.field === 'spot') ? undefined : false;
  const readyTimeoutMs = secondsFlag('--timeout', values.timeout, 600);
  const pollIntervalMs = secondsFlag('--poll', values.poll, 5);
  const spec: PodSpec = {
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
  };
  const maxAttempts = positiveInt('--max-attempts', values['max-attempts'], defaultMaxAttempts);
  const passwordTarget =
    spec.jupyter && !values['print-password']
      ? values['password-file']
        ? { file: outputFileFlag('--password-file', values['password-file']) }
        : { dir: outputDirFlag('the password directory', join(homedir(), '.airlock', 'pods')) }
      : undefined;
  const provider = podsProvider(values, process.env, ctx.stderr);
  refuseGraphqlOnly(values, provider);
  const offers = selectOffers(await provider.offers({ gpuCount }, ctx.signal), { clauses, spot });
  const say = (line: string) => ctx.stderr.write(`${line}\n`);
  const watchdog = watchdogFromFlags(values, provider);
  if (!(await enforceBudget(provider, offers, values, ctx, process.env, spec.metadata?.project))) return 1;
  const ssh = offers.length ? await sshAccessEnv(provider, spec.env, ctx) : undefined;
  if (ssh?.warning) say(`airlock pods: warning: ${ssh.warning}`);
  const logs = startupLogs(provider, ctx, values);
  const created = await createPod(provider, {
    offers,
    spec: { ...spec, env: { ...spec.env, ...ssh?.env }, watchdog },
    maxAttempts,
    wait: !values['no-wait'],
    readyTimeoutMs,
    pollIntervalMs,
    signal: ctx.signal,
    onProgress: (p) => {
      logs.onProgress(p);
      say(progressLine(p));
    },
  }).finally(() => logs.stop());
  const { pod, jupyterPassword } = created;
  let passwordFile: string | undefined;
  try {
    // After the pod exists, a failure of any step (or a stop) terminates it: its password and
    // address would be lost. That includes the report itself: `… | head` or a closed terminal.
    throwIfAborted(ctx.signal);
    if (jupyterPassword && passwordTarget) {
      passwordFile = passwordTarget.file ?? join(passwordTarget.dir!, `${pod.id}.jupyter-password`);
      await mkdir(dirname(passwordFile), { recursive: true, mode: 0o700 });
      await writeFileAtomic(passwordFile, jupyterPassword + '\n', { mode: 0o600, forceMode: true });
    }
    await writeFlushed(ctx.stdout, report(pod, provider, { json: !!values.json, passwordFile, printPassword: !!values['print-password'], jupyterPassword }));
    throwIfAborted(ctx.signal);
  } catch (err) {
    say(
      progressLine({
        kind: 'terminating',
        podId: pod.id,
        reason: isCancelled(err) ? 'cancelled' : `the pod could not be reported (${(err as Error).message})`,
      }),
    );
    await provider.terminate(pod.id, AbortSignal.timeout(60_000));
    say(progressLine({ kind: 'terminated', podId: pod.id }));
    throw err;
  }
  return 0;
}

/** Resolves once `text` was handed to the OS; rejects if the reader is gone (EPIPE). */
function writeFlushed(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

function report(
  pod: PodInfo,
  provider: ReturnType<typeof podsProvider>,
  o: { json: boolean; passwordFile?: string; printPassword: boolean; jupyterPassword?: string },
): string {
  const proxy = provider.proxyUrl(pod.id, 8888);
  if (o.json) {
    return (
      JSON.stringify(
        {
          pod: podJson(pod, (id, port) => provider.proxyUrl(id, port)),
          ...(o.passwordFile ? { jupyterPasswordFile: o.passwordFile } : {}),
          ...(o.printPassword && o.jupyterPassword ? { jupyterPassword: o.jupyterPassword } : {}),
        },
        null,
        2,
      ) + '\n'
    );
  }
  const ssh = sshEndpoint(pod);
  const lines = [`pod ${pod.id} (${pod.name}) ${pod.state}: ${pod.gpuCount}× ${pod.gpuName ?? '?'} at $${pod.costPerHour.toFixed(3)}/hr`];
  if (o.jupyterPassword) {
    lines.push(`jupyter: ${proxy}`);
    if (o.passwordFile) lines.push(`jupyter password: in ${o.passwordFile} (mode 600)`);
    else lines.push(`jupyter password: ${o.jupyterPassword}   (shown once; it is also the token)`);
  }
  if (ssh) lines.push(`ssh: ${sshCommand(ssh)}   tunnel: ${sshCommand(ssh, { localPort: 8888, remotePort: 8888 })}`);
  lines.push(`it bills until you run: airlock pods stop ${pod.id}   (or terminate)`);
  return lines.join('\n') + '\n';
}

function progressLine(p: CreateProgress): string {
  switch (p.kind) {
    case 'trying-offer':
      return `trying ${describeOffer(p.offer)} (${p.attempt}/${p.of})…`;
    case 'no-capacity':
      return `  ${p.message}`;
    case 'created':
      return `created pod ${p.pod.id}; waiting for it to start…`;
    case 'waiting':
      return `  ${p.wait.message} (${formatDuration(p.wait.elapsedMs)})`;
    case 'ready':
      return `pod ${p.pod.id} is ready`;
    case 'checking-orphan':
      return `checking whether RunPod created "${p.name}" anyway…`;
    case 'terminating':
      return `terminating pod ${p.podId} (${p.reason})…`;
    case 'terminated':
      return `pod ${p.podId} terminated`;
  }
}
