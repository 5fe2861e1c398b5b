// `airlock pods colab`: Colab's own UI on a pod's GPU (seed 003). Picks a running Airlock pod with
// enough VRAM (or creates the cheapest that matches), starts Jupyter on it the way Colab's local
// runtime needs (core/pods/colab/colabRuntime.ts) over SSH, opens the tunnel and prints the
// http://localhost:PORT/?token=… URL to paste into "Connect to a local runtime". Holds the tunnel
// until Ctrl+C, then says what happens to the Colab session (and stops the pod with --stop-on-exit).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SshRunner } from '../../core/hosts/sshRunner';
import { SshConnectionPool } from '../../core/ssh/connectionPool';
import type { HostKeyPolicy } from '../../core/ssh/hostKeyPolicy';
import { shellQuote } from '../../core/shell/quote';
import {
  colabInstructions,
  colabJupyterScript,
  colabTunnelClosedMessage,
  defaultColabRemotePort,
  generateColabToken,
  colabOrigin,
} from '../../core/pods/colab/colabRuntime';
import { jupyterTunnelUrl, podHostSpec, sshEndpoint } from '../../core/pods/endpoints';
import { parseOfferFilter } from '../../core/pods/offerFilter';
import { selectOffers } from '../../core/pods/offers';
import { createPod } from '../../core/pods/provision';
import { openTunnel } from '../../core/pods/tunnel';
import type { PodInfo, PodOffer } from '../../core/pods/types';
import { InputError } from '../errors';
import type { CliContext } from '../types';
import { podsProvider, positiveInt, providerOptions } from './podsContext';
import { enforceBudget, guardOptions, sshAccessEnv, watchdogFromFlags } from './podsGuard';

export const colabUsage = `  airlock pods colab [--pod ID | --min-vram GB] [--filter EXPR] [--port LOCAL] [--remote-port N]
                     [--image IMAGE] [--identity KEYFILE] [--stop-on-exit] [--idle-stop MIN] [--budget USD] [--yes]`;

export async function colabCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...providerOptions,
      ...guardOptions,
      pod: { type: 'string' },
      'min-vram': { type: 'string' },
      filter: { type: 'string' },
      port: { type: 'string' },
      'remote-port': { type: 'string' },
      image: { type: 'string' },
      identity: { type: 'string' },
      'stop-on-exit': { type: 'boolean' },
      poll: { type: 'string' },
    },
  });
  const minVram = values['min-vram'] ? positiveInt('--min-vram', values['min-vram'], 16) : 16;
  const clauses = values.filter ? parseOfferFilter(values.filter) : [];
  const localPort = values.port === undefined ? 0 : values.port === '0' ? 0 : positiveInt('--port', values.port, 8888);
  const remotePort = values['remote-port'] ? positiveInt('--remote-port', values['remote-port'], defaultColabRemotePort) : defaultColabRemotePort;
  const provider = podsProvider(values, process.env, ctx.stderr);
  const say = (line: string) => ctx.stderr.write(`${line}\n`);

  let pod: PodInfo | undefined;
  if (values.pod) {
    pod = await provider.get(values.pod, ctx.signal);
    if (!pod) throw new InputError(`no pod ${values.pod}`);
    if (pod.state !== 'running') throw new InputError(`pod ${pod.id} is ${pod.state}; resume it first (airlock pods resume ${pod.id} --wait)`);
  } else {
    const offers = await provider.offers({ gpuCount: 1 }, ctx.signal);
    const vram = new Map(offers.map((o) => [o.gpuTypeId, o.vramGb]));
    // A running Airlock pod that fits is reused: no second pod billing for the same notebook.
    const fits = (p: PodInfo) => {
      const asOffer: PodOffer = {
        provider: p.provider,
        gpuTypeId: p.gpuTypeId ?? '',
        gpuName: p.gpuName ?? '',
        vramGb: vram.get(p.gpuTypeId ?? '') ?? 0,
        gpuCount: p.gpuCount,
        cloud: 'SECURE',
        spot: p.spot,
        pricePerHour: p.costPerHour,
        pricePerGpu: p.costPerHour / Math.max(1, p.gpuCount),
        stock: 'high',
      };
      return (
        selectOffers([asOffer], { minVramGb: minVram, clauses: clauses.filter((c) => c.field !== 'cloud' && c.field !== 'stock'), includeUnavailable: true })
          .length > 0
      );
    };
    pod = (await provider.list(ctx.signal)).find((p) => p.managedByAirlock && p.state === 'running' && sshEndpoint(p) && fits(p));
    if (pod) say(`using running pod ${pod.id} (${pod.gpuName}, $${pod.costPerHour.toFixed(3)}/hr)`);
    else {
      const candidates = selectOffers(offers, { minVramGb: minVram, clauses, spot: false });
      if (!(await enforceBudget(provider, candidates, values, ctx))) return 1;
      // Colab reaches the pod only through an SSH tunnel: without a key the pod would bill for nothing.
      const ssh = candidates.length ? await sshAccessEnv(provider, undefined, ctx, values.identity) : undefined;
      if (ssh?.warning) {
        ctx.stderr.write(`airlock pods colab: not creating a pod: ${ssh.warning}\n`);
        return 1;
      }
      const created = await createPod(provider, {
        offers: candidates,
        spec: {
          image: values.image ?? 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
          name: 'colab',
          metadata: { purpose: 'colab' },
          ...(ssh?.env.PUBLIC_KEY ? { env: ssh.env } : {}),
          watchdog: watchdogFromFlags(values, provider),
        },
        pollIntervalMs: values.poll ? Number(values.poll) * 1000 : undefined,
        signal: ctx.signal,
        onProgress: (p) =>
          p.kind === 'created'
            ? say(`created pod ${p.pod.id}; waiting for it to start…`)
            : p.kind === 'trying-offer'
              ? say(`trying ${p.offer.gpuName} (${p.offer.vramGb} GB) at $${p.offer.pricePerHour.toFixed(3)}/hr…`)
              : undefined,
      });
      pod = created.pod;
    }
  }
  const ssh = sshEndpoint(pod);
  if (!ssh) throw new InputError(`pod ${pod.id} has no public SSH port (it needs 22/tcp and a running container)`);

  const dir = join(homedir(), '.airlock', 'pods');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Pods are new machines every time: trust a new host key once (printed), in Airlock's own file.
  const hostKeyPolicy: HostKeyPolicy = {
    async confirmUnknownHost(k) {
      say(`trusting the pod's new host key ${k.keyType} ${k.fingerprint}`);
      return true;
    },
  };
  const pool = new SshConnectionPool({
    hostKeyPolicy,
    keepaliveIntervalSec: 15,
    knownHostsFile: process.env.AIRLOCK_POD_KNOWN_HOSTS || join(dir, 'known_hosts'),
  });
  const identity = values.identity ?? process.env.AIRLOCK_POD_SSH_IDENTITY;
  const runner = new SshRunner(podHostSpec(pod, ssh, identity), pool);
  const token = generateColabToken();
  try {
    say(`starting Jupyter for Colab on pod ${pod.id} (port ${remotePort}, origin ${colabOrigin})…`);
    const started = await runner.exec(`bash -c ${shellQuote(colabJupyterScript(remotePort))}`, { input: `${token}\n`, signal: ctx.signal, timeoutMs: 180_000 });
    if (!/AIRLOCK_COLAB ready/.test(started.stdout))
      throw new InputError(`Jupyter did not start on pod ${pod.id}: ${started.stdout.split('\n').slice(-5).join(' | ').replace(token, '***')}`);
    if (/http_over_ws=off/.test(started.stdout))
      say('note: jupyter_http_over_ws could not be installed on the pod; Colab connects with allow_origin alone on current Jupyter servers');
    const tunnel = await openTunnel(
      pod.id,
      () => runner.connection(),
      remotePort,
      (e) => say(`tunnel: ${e.message}`),
      localPort,
    );
    ctx.stdout.write(colabInstructions(jupyterTunnelUrl(tunnel.localPort, token)) + '\n');
    await new Promise<void>((resolve) => {
      if (!ctx.signal || ctx.signal.aborted) return resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    tunnel.close();
    if (values['stop-on-exit']) await provider.stop(pod.id, AbortSignal.timeout(60_000));
    say(colabTunnelClosedMessage(pod.id, !!values['stop-on-exit']));
    return 0;
  } finally {
    pool.dispose();
  }
}
