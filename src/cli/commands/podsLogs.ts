// `airlock pods logs ID [-f]`: a pod's container and system logs over REST v2's SSE stream; with -f
// it follows and reconnects after drops (no line twice, none lost) until Ctrl+C.
import { parseArgs } from 'node:util';
import { UsageError, InputError } from '../errors';
import type { CliContext } from '../types';
import { podsProvider, positiveInt, providerOptions } from './podsContext';

export const logsUsage = `  airlock pods logs ID [-f|--follow] [--tail N] [--source container|system] [--json]`;

export async function logsCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...providerOptions, follow: { type: 'boolean', short: 'f' }, tail: { type: 'string' }, source: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError(`logs takes one pod id\n${logsUsage}`);
  const source = values.source;
  if (source !== undefined && source !== 'container' && source !== 'system') throw new UsageError(`--source must be container or system, got "${source}"`);
  const provider = podsProvider(values, process.env, ctx.stderr);
  if (provider.api !== 'rest')
    throw new InputError('pod logs come from RunPod REST API v2; GraphQL has none — drop --api graphql (or set AIRLOCK_RUNPOD_API=rest)');
  const tail = values.tail === undefined ? undefined : values.tail === '0' ? 0 : positiveInt('--tail', values.tail, 100);
  await provider.streamLogs(positionals[0]!, {
    follow: !!values.follow,
    tail,
    source,
    signal: ctx.signal,
    onLine: (l) => ctx.stdout.write(values.json ? JSON.stringify(l) + '\n' : `${l.ts} [${l.source}] ${l.line}\n`),
    onReconnect: (r) => ctx.stderr.write(`airlock pods: log stream dropped (${r.reason}); resuming${r.lastEventId ? ` after ${r.lastEventId}` : ''}…\n`),
  });
  return 0;
}
