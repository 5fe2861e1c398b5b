import type { CliCommand } from './types';
import { hostsCommand } from './commands/hosts';
import { phasesCommand } from './commands/phases';
import { workerCommand } from './commands/worker';
import { podsCommand } from './commands/pods';
import { analyzeCommand } from './commands/analyze';
import { sweepCommand } from './commands/sweep';
import { notebookCommand } from './commands/notebook';
import { colabCommand } from './commands/colab';
import { exportCommand } from './commands/export';
import { verifyCommand } from './commands/verify';
import { importCommand } from './commands/import';
import { slurmCommand } from './commands/slurm';
import { syncCommand } from './commands/sync';
import { dataCommand } from './commands/data';

/** Every top-level command, in the order `airlock --help` lists them. Add one line per command module. */
export const cliCommands: CliCommand[] = [
  hostsCommand,
  phasesCommand,
  workerCommand,
  podsCommand,
  analyzeCommand,
  sweepCommand,
  notebookCommand,
  colabCommand,
  exportCommand,
  verifyCommand,
  importCommand,
  slurmCommand,
  syncCommand,
  dataCommand,
];
