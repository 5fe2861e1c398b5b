// Google's `colab` command-line tool (pip/uv package google-colab-cli) as a transport instead of
// the browser: `colab new -s S --gpu G` provisions a runtime, `colab exec -s S -f NB.ipynb` runs the
// notebook with its output streamed, `colab stop -s S` releases the VM (always, even on failure or
// cancel — an unstopped session keeps billing). Detected on PATH; other tools named `colab` are not
// mistaken for it (its help must list `new` and `exec`).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { shellQuote } from '../process/exec';
import { runLocal } from '../process/runLocal';
import { ColabError, colabAdvice } from './colabErrors';

export async function findColabCli(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const p = join(dir, 'colab');
    try {
      accessSync(p, constants.X_OK);
    } catch {
      continue;
    }
    const help = await runLocal(`${shellQuote(p)} --help`, { timeoutMs: 15_000 }).catch(() => undefined);
    const text = `${help?.stdout ?? ''}${help?.stderr ?? ''}`;
    if (/\bnew\b/.test(text) && /\bexec\b/.test(text)) return p;
  }
  return undefined;
}

export interface ColabCliRunOptions {
  cli: string;
  notebookPath: string;
  session: string;
  /** GPU for `colab new` ('none': a CPU runtime). */
  gpu: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** Runs the notebook on a fresh runtime; resolves with `colab exec`'s exit code. */
export async function runWithColabCli(o: ColabCliRunOptions): Promise<{ code: number | null; timedOut: boolean }> {
  const cli = shellQuote(o.cli);
  const s = shellQuote(o.session);
  const out = (l: string) => o.onLine?.(l, 'stdout');
  const err = (l: string) => o.onLine?.(l, 'stderr');
  const created = await runLocal(`${cli} new -s ${s}${o.gpu !== 'none' ? ` --gpu ${shellQuote(o.gpu)}` : ''}`, {
    signal: o.signal,
    onStdout: out,
    onStderr: err,
    timeoutMs: 15 * 60_000,
  });
  if (created.code !== 0) {
    const why = `${created.stderr}${created.stdout}`.trim().split('\n').slice(-3).join(' ');
    const code = /quota|usage limit|unavailable|no .*gpu|capacity/i.test(why) ? 'no-gpu' : 'transport-failed';
    throw new ColabError(code, `colab new failed (exit ${created.code}): ${why.slice(0, 400)} — ${colabAdvice[code]}`);
  }
  try {
    const r = await runLocal(`${cli} exec -s ${s} -f ${shellQuote(o.notebookPath)}`, {
      signal: o.signal,
      onStdout: out,
      onStderr: err,
      ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
    });
    return { code: r.code, timedOut: r.timedOut };
  } finally {
    // Not cancellable on purpose: the VM must be released.
    await runLocal(`${cli} stop -s ${s}`, { timeoutMs: 120_000 }).catch(() => undefined);
  }
}
