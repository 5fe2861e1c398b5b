// `airlock notebook run`: execute a notebook cell by cell on any Jupyter server (a pod, a lab
// machine, a local server) through @jupyterlab/services, streaming outputs as they come, stopping
// at the first error, honouring a timeout and cancel (interrupt, then shut the kernel down).
import { CancelledError } from '../process/errors';

export interface NotebookOutput {
  output_type: 'stream' | 'execute_result' | 'display_data' | 'error';
  [key: string]: unknown;
}

export interface RunCellEvent {
  type: 'cell-start' | 'cell-done' | 'output' | 'kernel';
  /** Which code cell, 0-based among the code cells (what `total` counts): "cell 2/4" is `cell` 1. */
  cell: number;
  /** Its position among all the notebook's cells (markdown included). */
  index?: number;
  total: number;
  /** For `output`: a printable line (stream text, text/plain result, traceback line without ANSI). */
  line?: string;
  stream?: 'stdout' | 'stderr';
  message?: string;
}

export interface CellError {
  /** 0-based among the code cells, as in RunCellEvent. */
  cell: number;
  /** Its position among all the notebook's cells. */
  index: number;
  /** How many code cells the notebook has. */
  total: number;
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface RunNotebookOptions {
  serverUrl: string;
  token?: string;
  kernelName?: string;
  /** Whole-run limit; the kernel is interrupted, then shut down. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onEvent?: (e: RunCellEvent) => void;
}

export interface RunNotebookResult {
  notebook: Record<string, unknown>;
  executed: number;
  error?: CellError;
  timedOut: boolean;
}

interface NbCell {
  cell_type: string;
  source: string | string[];
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes in tracebacks
export const stripAnsiCodes = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

export class JupyterError extends Error {
  override readonly name = 'JupyterError';
}

export async function runNotebook(nb: Record<string, unknown>, o: RunNotebookOptions): Promise<RunNotebookResult> {
  const { ServerConnection, KernelManager } = await import('@jupyterlab/services');
  const { default: WebSocket } = await import('ws');
  const base = o.serverUrl.replace(/\/?$/, '/');
  const settings = ServerConnection.makeSettings({
    baseUrl: base,
    wsUrl: base.replace(/^http/, 'ws'),
    token: o.token ?? '',
    appendToken: true,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    fetch: globalThis.fetch.bind(globalThis),
  });
  const cells = (nb.cells as NbCell[] | undefined) ?? [];
  // `n` counts code cells (progress, messages); `i` is the position in the notebook (outputs).
  const code = cells
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.cell_type === 'code')
    .map(({ c, i }, n) => ({ c, i, n }));
  const emit = (e: RunCellEvent) => o.onEvent?.(e);
  // Check the server and the token first: a clear message beats a websocket error.
  const probe = await fetch(`${base}api/kernelspecs`, { headers: o.token ? { Authorization: `token ${o.token}` } : {}, signal: o.signal }).catch(
    (err: Error) => {
      if (o.signal?.aborted) throw new CancelledError();
      throw new JupyterError(`cannot reach the Jupyter server at ${base} (${err.message}) — is it running, and is the URL right?`);
    },
  );
  if (probe.status === 403 || probe.status === 401)
    throw new JupyterError(`the Jupyter server at ${base} refused the token (HTTP ${probe.status}) — check --token`);
  if (!probe.ok) throw new JupyterError(`the Jupyter server at ${base} answered HTTP ${probe.status} to /api/kernelspecs`);
  const specs = (await probe.json()) as { default?: string; kernelspecs?: Record<string, unknown> };
  const kernelName = o.kernelName ?? specs.default ?? 'python3';
  if (specs.kernelspecs && !specs.kernelspecs[kernelName])
    throw new JupyterError(`the server has no kernel "${kernelName}" (it has: ${Object.keys(specs.kernelspecs).join(', ')})`);

  const manager = new KernelManager({ serverSettings: settings });
  await manager.ready;
  const kernel = await manager.startNew({ name: kernelName });
  emit({ type: 'kernel', cell: -1, total: code.length, message: `kernel ${kernelName} started (${kernel.id})` });
  let timedOut = false;
  let stopped = false;
  let stopping: Promise<void> | undefined;
  // Interrupt first (the cell may hold resources worth releasing), then shut the kernel down; every
  // caller waits for the same shutdown.
  const stop = () => {
    stopped = true;
    stopping ??= (async () => {
      await kernel.interrupt().catch(() => undefined);
      await kernel.shutdown().catch(() => undefined);
    })();
    return stopping;
  };
  const timer = o.timeoutMs ? setTimeout(() => ((timedOut = true), void stop()), o.timeoutMs) : undefined;
  const onAbort = () => void stop();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let executed = 0;
  let error: CellError | undefined;
  try {
    for (const { c, i, n } of code) {
      if (stopped) break;
      const source = Array.isArray(c.source) ? c.source.join('') : c.source;
      const outputs: NotebookOutput[] = [];
      emit({ type: 'cell-start', cell: n, index: i, total: code.length });
      const future = kernel.requestExecute({ code: source, stop_on_error: true, store_history: true });
      future.onIOPub = (msg) => {
        const t = msg.header.msg_type;
        const content = msg.content as Record<string, unknown>;
        if (t === 'stream') {
          const name = content.name as 'stdout' | 'stderr';
          const last = outputs[outputs.length - 1];
          if (last?.output_type === 'stream' && last.name === name) last.text = `${last.text as string}${content.text as string}`;
          else outputs.push({ output_type: 'stream', name, text: content.text });
          for (const line of String(content.text).replace(/\n$/, '').split('\n'))
            emit({ type: 'output', cell: n, index: i, total: code.length, line, stream: name });
        } else if (t === 'execute_result' || t === 'display_data') {
          outputs.push({
            output_type: t,
            data: content.data,
            metadata: content.metadata ?? {},
            ...(t === 'execute_result' ? { execution_count: content.execution_count } : {}),
          });
          const plain = (content.data as Record<string, unknown> | undefined)?.['text/plain'];
          if (typeof plain === 'string')
            for (const line of plain.split('\n')) emit({ type: 'output', cell: n, index: i, total: code.length, line, stream: 'stdout' });
        } else if (t === 'error') {
          outputs.push({ output_type: 'error', ename: content.ename, evalue: content.evalue, traceback: content.traceback });
          for (const line of (content.traceback as string[]).flatMap((x) => stripAnsiCodes(x).split('\n')))
            emit({ type: 'output', cell: n, index: i, total: code.length, line, stream: 'stderr' });
        }
      };
      const reply = await future.done.catch((err: Error) => {
        if (stopped) return undefined;
        throw new JupyterError(`the kernel died while running cell ${n + 1}/${code.length}: ${err.message}`);
      });
      c.outputs = outputs;
      const content = reply?.content as { status?: string; execution_count?: number; ename?: string; evalue?: string; traceback?: string[] } | undefined;
      c.execution_count = content?.execution_count ?? null;
      if (!reply || stopped) break;
      executed++;
      emit({ type: 'cell-done', cell: n, index: i, total: code.length });
      if (content?.status === 'error') {
        error = {
          cell: n,
          index: i,
          total: code.length,
          ename: content.ename ?? 'Error',
          evalue: content.evalue ?? '',
          traceback: (content.traceback ?? []).map(stripAnsiCodes),
        };
        break;
      }
    }
  } finally {
    if (timer) clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    await stop();
    manager.dispose();
  }
  if (o.signal?.aborted && !timedOut) throw new CancelledError();
  return { notebook: nb, executed, error, timedOut };
}
