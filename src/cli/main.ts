// The `airlock` command line: the same core as the extension, for GPU workers, terminals and cron.
// Exit codes: 0 ok, 1 the job failed, 2 bad input (the message names the file, line and field).
import { cliCommands } from './registry';
import { UsageError, InputError } from './errors';
import { isCancelled } from '../core/process/errors';
import { installLifecycle, stoppedExitCode } from './lifecycle';
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
  const life = installLifecycle();
  try {
    const code = await command.run(rest, { signal: life.signal, stdout: process.stdout, stderr: process.stderr });
    // A command that noticed the stop and wound down on its own still did not finish its job.
    return life.reason() ? stoppedExitCode : code;
  } catch (err) {
    if (isCancelled(err)) {
      process.stderr.write(`airlock: cancelled${life.reason() ? ` (${life.reason()})` : ''}\n`);
      return stoppedExitCode;
    }
    if (err instanceof UsageError || err instanceof InputError || err instanceof ConfigError) {
      process.stderr.write(`airlock ${group}: ${err.message}\n`);
      return 2;
    }
    // A cleanup that failed after a stop (e.g. a pod that would not terminate) must still be said.
    process.stderr.write(`airlock ${group}: ${err instanceof Error ? err.message : String(err)}\n`);
    return life.reason() ? stoppedExitCode : 1;
  } finally {
    life.dispose();
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
    // A bug of ours, not the user's input: still no stack trace unless asked for (AIRLOCK_DEBUG=1).
    process.stderr.write(`airlock: ${err instanceof Error ? (process.env.AIRLOCK_DEBUG === '1' ? err.stack : err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
