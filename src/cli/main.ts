// The `airlock` command line: the same core as the extension, for GPU workers, terminals and cron.
// Exit codes: 0 ok, 1 the job failed, 2 bad input (the message names the file, line and field).
import { cliCommands } from './registry';
import { UsageError, InputError } from './errors';
import { isCancelled } from '../core/process/errors';
import { ConfigError } from '../core/config/jsoncDoc';

async function main(argv: string[]): Promise<number> {
  const [group, ...rest] = argv;
  if (!group || group === '--help' || group === '-h' || group === 'help') {
    process.stdout.write(usage());
    return group ? 0 : 2;
  }
  if (group === '--version') {
    process.stdout.write(`${AIRLOCK_VERSION}\n`);
    return 0;
  }
  const command = cliCommands.find((c) => c.name === group);
  if (!command) {
    process.stderr.write(`airlock: unknown command "${group}"\n\n${usage()}`);
    return 2;
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(`\nairlock: ${sig} received, stopping cleanly (again to force)…\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await command.run(rest, { signal: controller.signal, stdout: process.stdout, stderr: process.stderr });
  } catch (err) {
    if (isCancelled(err)) {
      process.stderr.write('airlock: cancelled\n');
      return 130;
    }
    if (err instanceof UsageError || err instanceof InputError || err instanceof ConfigError) {
      process.stderr.write(`airlock ${group}: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`airlock ${group}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

function usage(): string {
  const lines = cliCommands.map((c) => `  airlock ${c.name.padEnd(10)} ${c.summary}`);
  return `Airlock — the controller for GPU experiments.\n\nUsage:\n${lines.join('\n')}\n\nRun "airlock <command> --help" for details.\n`;
}

declare const AIRLOCK_VERSION: string;

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`airlock: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
