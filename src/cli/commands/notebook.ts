// `airlock notebook render|run`: configure a template notebook; execute a notebook on any Jupyter server.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../core/fs/writeFileAtomic';
import type { CliCommand, CliContext } from '../types';
import { inputFileFlag, numberFlag, outputFileFlag } from '../flags';
import { InputError, UsageError } from '../errors';
import { parseOptions } from '../parseOptions';
import { renderNotebook, type GpuChoice } from '../../core/notebook/render';
import { checkNotebook } from '../../core/notebook/readNotebook';
import { ParamError } from '../../core/notebook/pyLiteral';
import { JupyterError, runNotebook } from '../../core/notebook/jupyterRun';
import { notify, type WebhookKind } from '../../core/notify/webhooks';

const usage = `Usage:
  airlock notebook render TEMPLATE.ipynb --set KEY=VALUE ... [--gpu T4|L4|A100|none] -o OUT.ipynb
  airlock notebook run NOTEBOOK.ipynb --server URL [--token-file FILE] [-o OUT.ipynb] [--timeout SEC] [--kernel NAME]
                       [--notify slack|discord|json]
Options:
  --token-file F   read the server's token from file F (else the JUPYTER_TOKEN environment variable);
                   never pass it as an argument: every user on the machine can read arguments in ps
  --token T        deprecated (the token shows in ps): use --token-file or JUPYTER_TOKEN
  --notify KIND    post the end state to the webhook in AIRLOCK_WEBHOOK_URL (never written anywhere)`;

export const notebookCommand: CliCommand = {
  name: 'notebook',
  summary: 'render a Colab/papermill template with parameters; run a notebook on any Jupyter server',
  async run(args, ctx) {
    const parsed = parseOptions(
      {
        args,
        allowPositionals: true,
        options: {
          set: { type: 'string', multiple: true },
          gpu: { type: 'string' },
          output: { type: 'string', short: 'o' },
          server: { type: 'string' },
          token: { type: 'string' },
          'token-file': { type: 'string' },
          timeout: { type: 'string' },
          kernel: { type: 'string' },
          notify: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      },
      usage,
    );
    const { values, positionals } = parsed;
    if (values.help) return (ctx.stdout.write(usage + '\n'), 0);
    const [sub, file] = positionals;
    if (!file) throw new UsageError(`${sub ? `${sub} needs a notebook` : 'missing subcommand'}\n${usage}`);
    if (values.output !== undefined) outputFileFlag('-o', values.output);
    const text = await readFile(inputFileFlag(sub === 'run' ? 'NOTEBOOK' : 'TEMPLATE', file), 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new InputError(`${file}: cannot be read (${e.code ?? e.message})`);
    });
    if (sub === 'render') return render(file, text, values, ctx);
    if (sub === 'run') return run(file, text, values, ctx);
    throw new UsageError(`unknown subcommand "${sub}"\n${usage}`);
  },
};

async function render(file: string, text: string, v: { set?: string[]; gpu?: string; output?: string }, ctx: CliContext): Promise<number> {
  if (!v.output) throw new UsageError('render needs -o OUT.ipynb');
  const set: Record<string, string> = {};
  for (const s of v.set ?? []) {
    const at = s.indexOf('=');
    if (at <= 0) throw new UsageError(`--set takes KEY=VALUE, got "${s}"`);
    set[s.slice(0, at)] = s.slice(at + 1);
  }
  if (v.gpu && !['T4', 'L4', 'A100', 'V100', 'none'].includes(v.gpu)) throw new UsageError(`--gpu must be T4, L4, A100, V100 or none, not "${v.gpu}"`);
  try {
    const r = await renderNotebook(text, file, { set, gpu: v.gpu as GpuChoice | undefined });
    await writeFileAtomic(v.output, r.text);
    ctx.stderr.write(
      `airlock notebook: wrote ${v.output} (${r.changed.length ? `set ${r.changed.join(', ')}` : 'no parameter changed'}${v.gpu ? `; GPU ${v.gpu}` : ''})\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ParamError) throw new InputError(err.message);
    throw err;
  }
}

async function run(
  file: string,
  text: string,
  v: { server?: string; token?: string; 'token-file'?: string; output?: string; timeout?: string; kernel?: string; notify?: string },
  ctx: CliContext,
): Promise<number> {
  if (!v.server) throw new UsageError('run needs --server URL (e.g. http://127.0.0.1:8888/)');
  const timeoutSec = numberFlag('--timeout', v.timeout, { above: 0, max: 2_147_483 });
  if (v.notify && !['slack', 'discord', 'json'].includes(v.notify)) throw new UsageError('--notify must be slack, discord or json');
  if (v.notify && !process.env.AIRLOCK_WEBHOOK_URL)
    throw new UsageError('--notify needs the webhook URL in AIRLOCK_WEBHOOK_URL (it is a secret: never on the command line)');
  const nb = checkNotebook(text, file);
  const token = await jupyterToken(v, ctx);
  // @jupyterlab/services reports websocket chatter through console.debug, which Node prints on
  // stdout; this process's stdout is the notebook's output, so keep it clean.
  console.debug = () => undefined;
  let result;
  try {
    result = await runNotebook(nb, {
      serverUrl: v.server,
      token,
      kernelName: v.kernel,
      timeoutMs: timeoutSec ? timeoutSec * 1000 : undefined,
      signal: ctx.signal,
      onEvent: (e) => {
        if (e.type === 'cell-start') ctx.stderr.write(`[cell ${e.cell + 1}/${e.total}] running\n`);
        if (e.type === 'output') (e.stream === 'stderr' ? ctx.stderr : ctx.stdout).write(`${e.line}\n`);
        if (e.type === 'kernel') ctx.stderr.write(`[notebook] ${e.message}\n`);
      },
    });
  } catch (err) {
    if (err instanceof JupyterError) {
      ctx.stderr.write(`airlock notebook: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  if (v.output) await writeFileAtomic(v.output, `${JSON.stringify(result.notebook, null, 1)}\n`);
  const state = result.timedOut ? 'timed-out' : result.error ? 'failed' : 'done';
  const detail = result.error
    ? `cell ${result.error.cell + 1}/${result.error.total}: ${result.error.ename}: ${result.error.evalue}`
    : `${result.executed} cells`;
  if (result.error) ctx.stderr.write(`airlock notebook: ${file} failed in ${detail}\n${result.error.traceback.join('\n')}\n`);
  if (result.timedOut) ctx.stderr.write(`airlock notebook: timed out after ${timeoutSec} s; the kernel was interrupted and shut down\n`);
  if (v.notify)
    await notify(process.env.AIRLOCK_WEBHOOK_URL!, { title: `notebook ${file}`, state, detail }, v.notify as WebhookKind).catch((e: Error) =>
      ctx.stderr.write(`airlock notebook: notification failed: ${e.message}\n`),
    );
  return state === 'done' ? 0 : 1;
}

/** The token from --token-file, else JUPYTER_TOKEN; --token still works but says why it should not be used. */
async function jupyterToken(v: { token?: string; 'token-file'?: string }, ctx: CliContext): Promise<string | undefined> {
  const file = v['token-file'];
  if (file !== undefined) {
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new InputError(`--token-file ${file}: cannot be read (${e.code ?? e.message})`);
    });
    const token = text.trim();
    if (!token) throw new InputError(`--token-file ${file}: the file is empty`);
    return token;
  }
  if (v.token !== undefined) {
    ctx.stderr.write(
      'airlock notebook: --token is deprecated: the token is visible to every user in `ps`; use --token-file FILE or the JUPYTER_TOKEN environment variable\n',
    );
    return v.token;
  }
  return process.env.JUPYTER_TOKEN;
}
