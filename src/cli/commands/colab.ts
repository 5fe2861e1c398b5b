// `airlock colab dispatch|results|login`: run a template notebook on a Colab GPU (Drive + browser,
// or Google's colab tool), follow it, fetch its results; sign in to Drive once for OAuth.
import { parseArgs } from 'node:util';
import type { CliCommand } from '../types';
import { UsageError } from '../errors';
import { colabDispatch } from './colabDispatch';
import { colabLogin, colabResults } from './colabResults';

const colabUsage = `Usage:
  airlock colab dispatch TEMPLATE.ipynb [--set KEY=VALUE ...] [--gpu T4|L4|A100|none] [--drive-folder PATH]
                         [--timeout SEC] [--headed] [--notify slack|discord|json] [--download DIR] [--json]
  airlock colab results RUN [--drive-folder PATH] [--download DIR] [--json]
  airlock colab login --oauth-client-file client_secret.json [--no-browser]
Options:
  --drive-folder PATH        run folders go to My Drive/PATH/<run> (default Airlock/runs)
  --drive-root-id ID         resolve --drive-folder from this folder (one shared with a service account)…
  --mount-root PATH          …which the notebook sees at PATH (default /content/drive/MyDrive)
  --service-account-file F   Drive credentials (or the path in AIRLOCK_DRIVE_SA_JSON; else the "login" sign-in)
  --transport browser|colab-cli   Colab's page in Chrome (default), or Google's colab tool when installed
  --headed                   show the browser (the first run, to sign in to Google and allow Drive)
  --profile DIR              the browser profile that keeps the sign-in (default ~/.config/airlock/colab-profile)
  --browser PATH             Chrome/Chromium to use (or AIRLOCK_CHROME; never downloaded)
  --screenshot-dir DIR       where a failure's screenshot goes (default .airlock/screenshots)
  --timeout SEC              whole run (default 7200)
  --notify KIND              post the end to the webhook in AIRLOCK_WEBHOOK_URL (a secret: never a flag)
  --download DIR             download the run folder into DIR/<run> when it ends
  --drive-root-url URL --token-url URL --auth-url URL --colab-url URL   other endpoints (tests, proxies)`;

export const colabOptions = {
  set: { type: 'string', multiple: true },
  gpu: { type: 'string' },
  'drive-folder': { type: 'string' },
  'drive-root-id': { type: 'string' },
  'mount-root': { type: 'string' },
  'service-account-file': { type: 'string' },
  'oauth-client-file': { type: 'string' },
  'no-browser': { type: 'boolean' },
  transport: { type: 'string' },
  headed: { type: 'boolean' },
  headless: { type: 'boolean' },
  profile: { type: 'string' },
  browser: { type: 'string' },
  'screenshot-dir': { type: 'string' },
  timeout: { type: 'string' },
  poll: { type: 'string' },
  notify: { type: 'string' },
  download: { type: 'string' },
  json: { type: 'boolean' },
  'drive-root-url': { type: 'string' },
  'token-url': { type: 'string' },
  'auth-url': { type: 'string' },
  'colab-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type ColabFlags = ReturnType<typeof parseColabArgs>['values'];

function parseColabArgs(args: string[]) {
  return parseArgs({ args, allowPositionals: true, options: colabOptions });
}

export const colabCommand: CliCommand = {
  name: 'colab',
  summary: 'dispatch a notebook to a Colab GPU (Drive + browser), follow it, fetch its results',
  async run(args, ctx) {
    let parsed;
    try {
      parsed = parseColabArgs(args);
    } catch (err) {
      throw new UsageError(`${(err as Error).message}\n${colabUsage}`);
    }
    const { values, positionals } = parsed;
    if (values.help) return (ctx.stdout.write(colabUsage + '\n'), 0);
    const [sub, target] = positionals;
    if (sub === 'login') return colabLogin(values, ctx);
    if (!target) throw new UsageError(`${sub ? `${sub} needs ${sub === 'results' ? 'a run id' : 'a notebook'}` : 'missing subcommand'}\n${colabUsage}`);
    if (sub === 'dispatch') return colabDispatch(target, values, ctx);
    if (sub === 'results') return colabResults(target, values, ctx);
    throw new UsageError(`unknown subcommand "${sub}"\n${colabUsage}`);
  },
};
