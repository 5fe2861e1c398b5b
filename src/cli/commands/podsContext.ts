// What every `airlock pods` subcommand shares: the provider from env/flags and error translation.
import { InputError, UsageError } from '../errors';
import { numberFlag } from '../flags';
import { PodError } from '../../core/pods/errors';
import { resolveRunpodEndpoint } from '../../core/pods/runpod/config';
import { createPodsProvider, parsePodsApi, type AnyRunpodProvider, type PodsApi } from '../../core/pods/providerFactory';

declare const AIRLOCK_VERSION: string | undefined;

/** The bundle defines AIRLOCK_VERSION; under tsx (tests) it is absent. */
function cliVersion(): string {
  return typeof AIRLOCK_VERSION === 'string' ? AIRLOCK_VERSION : '0.0.0-dev';
}

/** The flags every `airlock pods` subcommand takes. */
export const providerOptions = { endpoint: { type: 'string' }, api: { type: 'string' } } as const;

/** `--api` wins, then AIRLOCK_RUNPOD_API, then REST v2 (GraphQL only for what v2 lacks). */
export function podsApi(flags: { api?: string }, env: NodeJS.ProcessEnv = process.env): PodsApi {
  return parsePodsApi(flags.api, '--api') ?? parsePodsApi(env.AIRLOCK_RUNPOD_API, 'AIRLOCK_RUNPOD_API') ?? 'rest';
}

/** `--endpoint` is the API host (or a …/graphql URL): RunPod serves both APIs on one host. */
/** `stderr` hears each wait (429 Retry-After, 5xx back-off), so a long pause is never silent. */
export function podsProvider(
  flags: { endpoint?: string; api?: string },
  env: NodeJS.ProcessEnv = process.env,
  stderr?: { write(s: string): unknown },
): AnyRunpodProvider {
  const apiKey = env.RUNPOD_API_KEY?.trim();
  if (!apiKey) throw new InputError('no RunPod API key: export RUNPOD_API_KEY=<key> (runpod.io → Settings → API Keys)');
  return createPodsProvider({
    api: podsApi(flags, env),
    apiKey,
    endpoint: resolveRunpodEndpoint(flags.endpoint, env),
    clientVersion: cliVersion(),
    ...(stderr
      ? {
          onRetry: ({ waitSec }: { waitSec: number }) =>
            void stderr.write(`airlock pods: RunPod is busy (rate limit or server error); retrying in ${waitSec} s\n`),
        }
      : {}),
  });
}

/** Bad input becomes exit code 2; a rejected key gets the CLI's hint. Everything else stays a PodError (exit 1). */
export function cliPodError(err: unknown): unknown {
  if (!(err instanceof PodError)) return err;
  if (err.code === 'bad-input') return new InputError(err.message);
  if (err.code === 'unauthorized') return new PodError(err.code, `${err.message} (the key comes from RUNPOD_API_KEY)`, err.details);
  return err;
}

export function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  return numberFlag(flag, value, { integer: true, min: 1 }) ?? fallback;
}

export function positiveNumber(flag: string, value: string | undefined): number | undefined {
  return numberFlag(flag, value, { above: 0 });
}

export function keyValues(flag: string, pairs: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} takes KEY=VALUE, got "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
