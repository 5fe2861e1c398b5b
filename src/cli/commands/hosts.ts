import { parseArgs } from 'node:util';
import type { CliCommand } from '../types';
import { UsageError } from '../errors';
import { runLocal } from '../../core/process/runLocal';

// Placeholder listing only the built-in local host until the hosts core lands (issue 2, in progress).
export const hostsCommand: CliCommand = {
  name: 'hosts',
  summary: 'list hosts and probe them (GPUs, disk, load)',
  async run(args, ctx) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const sub = positionals[0] ?? 'list';
    if (sub !== 'list') throw new UsageError(`unknown subcommand "${sub}" (expected: list)`);
    const r = await runLocal('hostname', { signal: ctx.signal });
    ctx.stdout.write(`local\t${r.stdout.trim()}\n`);
    return 0;
  },
};
