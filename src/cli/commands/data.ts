// `airlock data fetch SOURCE DEST`: a dataset onto the training machine's local disk, hash-checked,
// resumable, cached per revision, with a provenance record for the journal.
import { parseArgs } from 'node:util';
import type { CliCommand } from '../types';
import { UsageError } from '../errors';
import { fetchData, provenanceMarkdown } from '../../core/data/dataFetch';
import { driveApi, hubApi, hubToken } from './syncSetup';

const dataUsage = `Usage:
  airlock data fetch SOURCE DEST [--json]
SOURCE: hf:NAMESPACE/DATASET[@REVISION] (a Hugging Face dataset repo) or drive:FOLDER/PATH (a Drive file or folder)
DEST:   a directory on the local disk (a network mount is refused)
Options: --hub-url URL --drive-root-url URL --token-url URL (tests, proxies)
Credentials (never flags): HF_TOKEN or AIRLOCK_HF_TOKEN_FILE; AIRLOCK_DRIVE_SA_JSON or "airlock colab login".`;

const options = {
  json: { type: 'boolean' },
  'hub-url': { type: 'string' },
  'drive-root-url': { type: 'string' },
  'token-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const dataCommand: CliCommand = {
  name: 'data',
  summary: 'fetch a dataset (Hugging Face or Drive) onto local disk, hash-checked and cached',
  async run(args, ctx) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options });
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n${dataUsage}`);
    }
    const { values, positionals } = parsed;
    if (values.help) return (ctx.stdout.write(`${dataUsage}\n`), 0);
    const [sub, source, dest] = positionals;
    if (sub !== 'fetch') throw new UsageError(`${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}\n${dataUsage}`);
    if (!source || !dest) throw new UsageError(`fetch needs SOURCE and DEST\n${dataUsage}`);
    const token = source.startsWith('hf:') ? await hubToken() : undefined;
    const r = await fetchData({
      source,
      dest,
      ...(token ? { hub: () => hubApi(token, values, ctx.signal) } : {}),
      ...(source.startsWith('drive:') ? { drive: () => driveApi(values, ctx.signal) } : {}),
      log: (l) => ctx.stderr.write(`airlock data: ${l}\n`),
    });
    if (values.json) ctx.stdout.write(`${JSON.stringify(r)}\n`);
    else {
      ctx.stderr.write(
        `airlock data: ${r.cached ? 'already here (same revision), downloaded nothing' : `downloaded ${r.downloadedBytes} bytes`}; ${r.files.length} files in ${dest}\n`,
      );
      ctx.stdout.write(provenanceMarkdown(r));
    }
    return 0;
  },
};
