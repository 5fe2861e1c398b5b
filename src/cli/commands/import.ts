// `airlock import RUN`: a finished run's logs and results into experiments/<exp>/runs/<run>/, and
// a journal.md entry (host, GPU, commit and bundle hash, start/end, cost, pip freeze, checkpoints).
import { basename } from 'node:path';
import type { CliCommand } from '../types';
import { inputDirFlag, numberFlag } from '../flags';
import { UsageError } from '../errors';
import { parseOptions } from '../parseOptions';
import { loadAirlockConfig } from '../../core/bundle/airlockConfig';
import { hostRunSource } from '../../core/journal/hostRunSource';
import { importRun } from '../../core/journal/importRun';
import { LocalRunner } from '../../core/hosts/localRunner';
import { hostFlags, openHost } from './exportHosts';

const usage = `Usage:
  airlock import HOST:DIR [--exp NAME] [--run NAME]     a run directory on a host (any Hosts entry)
  airlock import DIR      [--exp NAME] [--run NAME]     a run directory on this machine
Brings the run's logs and results to experiments/<exp>/runs/<run>/ and appends an entry to journal.md.
Options:
  --exp NAME        experiment (default: import.experiment of .airlock/airlock.json)
  --run NAME        run name (default: the directory's name)
  --tier NAME       the hardware tier to note (default: the host's)
  --cost USD        what the run cost, for the journal
  --include GLOB    files to bring (repeatable; default: import.include, else logs/results/frozen requirements)
  --workspace DIR, --ssh-config PATH, --accept-new-host-key   as for "airlock hosts"`;

export const importCommand: CliCommand = {
  name: 'import',
  summary: "bring a finished run's logs and results home and append it to journal.md",
  async run(args, ctx) {
    const { values, positionals } = parseOptions(
      {
        args,
        allowPositionals: true,
        options: {
          exp: { type: 'string' },
          run: { type: 'string' },
          tier: { type: 'string' },
          cost: { type: 'string' },
          include: { type: 'string', multiple: true },
          ...hostFlags,
          help: { type: 'boolean', short: 'h' },
        },
      },
      usage,
    );
    if (values.help) return (ctx.stdout.write(usage + '\n'), 0);
    if (positionals.length !== 1 || !positionals[0]!.trim()) throw new UsageError(`name one run directory\n${usage}`);
    const workspace = values.workspace === undefined ? process.cwd() : inputDirFlag('--workspace', values.workspace);
    const cost = numberFlag('--cost', values.cost, { min: 0 });
    const config = await loadAirlockConfig(workspace);
    const target = positionals[0]!;
    const m = /^([A-Za-z0-9][A-Za-z0-9._@-]*):(.+)$/.exec(target);
    const hostName = m ? m[1]! : 'local';
    const dir = m ? m[2]! : target;
    if (!m) inputDirFlag('RUN', dir);
    const experiment = values.exp ?? config.experiment;
    if (!experiment) throw new UsageError('name the experiment: --exp NAME (or set import.experiment in .airlock/airlock.json)');
    const run = values.run ?? basename(dir.replace(/\/+$/, ''));
    const opened =
      hostName === 'local'
        ? { runner: new LocalRunner(), dispose: () => undefined }
        : await openHost(workspace, hostName, { sshConfig: values['ssh-config'], acceptNew: !!values['accept-new-host-key'] }, ctx, 'import');
    try {
      const source = await hostRunSource(opened.runner, dir, {
        include: values.include ?? config.include,
        ...(values.tier ? { tier: values.tier } : {}),
        ...(cost !== undefined ? { costUsd: cost } : {}),
        signal: ctx.signal,
      });
      const r = await importRun(source, { workspace, experiment, run, journal: config.journal, signal: ctx.signal });
      ctx.stdout.write(`imported ${r.files.length} file(s) into ${r.dir}\n${r.reimport ? 'appended another' : 'appended an'} entry to ${r.journal}\n`);
      if (!source.pipFreeze) ctx.stderr.write(`airlock import: warning: pip freeze could not be captured on ${hostName}\n`);
      return 0;
    } finally {
      opened.dispose();
    }
  },
};
