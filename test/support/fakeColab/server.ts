// A local stand-in for colab.research.google.com: serves the fake notebook page for a Drive file
// of the fake Drive, a sign-in page, and "executes" the notebook when Run all is accepted — the
// way the real notebook would, by writing Airlock's status file (and results) into the run folder
// on the fake Drive through the path its status cell names. Scenario switches produce each state
// Airlock must explain: signed out, no GPU backend, a GPU type not offered, Drive permission
// pending, runtime disconnected (with a dialog, or silently), a run that never ends, a failing cell.
// Other processes flip the switches over HTTP (/_fake/scenario) and read a run (/_fake/state/<id>).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FakeDrive } from '../fakeDrive/server';
import { notebookPage, signInPage } from './page';

export interface ColabScenario {
  requireSignIn: boolean;
  offeredGpus: string[];
  noGpuBackend: boolean;
  drivePermission: 'granted' | 'prompt';
  /** After this many code cells the runtime disconnects and the page says so. */
  disconnectAfterCells?: number;
  /** After this many code cells the runtime goes quiet: no dialog, no more status writes. */
  silentAfterCells?: number;
  /** A cell that never ends (the status heartbeat goes on): for timeouts. */
  hang: boolean;
  cellMs: number;
}

interface RunState {
  outputs: Record<number, string>;
  disconnected: boolean;
  finished: boolean;
  stopped: boolean;
  gpu?: string | null;
  interrupted: boolean;
}

export interface FakeColab {
  url: string;
  scenario: ColabScenario;
  runs: Map<string, RunState>;
  close(): Promise<void>;
}

const defaults: ColabScenario = { requireSignIn: false, offeredGpus: ['T4'], noGpuBackend: false, drivePermission: 'granted', hang: false, cellMs: 60 };
const mountPrefix = '/content/drive/MyDrive/';

export async function startFakeColab(drive: FakeDrive): Promise<FakeColab> {
  const scenario: ColabScenario = { ...defaults };
  const runs = new Map<string, RunState>();
  const stateOf = (id: string) => {
    if (!runs.has(id)) runs.set(id, { outputs: {}, disconnected: false, finished: false, stopped: false, interrupted: false });
    return runs.get(id)!;
  };

  function simulate(fileId: string): void {
    const st = stateOf(fileId);
    const nb = JSON.parse(drive.store.get(fileId)!.content!.toString()) as { cells: { cell_type: string; source: string | string[] }[] };
    const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
    const runDir = /^AIRLOCK_RUN_DIR = "(.*)"$/m.exec(code.join('\n'))?.[1];
    const runId = /^AIRLOCK_RUN_ID = "(.*)"$/m.exec(code.join('\n'))?.[1] ?? '';
    // Without a status cell, or a run dir outside the Drive mount, nothing reaches Drive — as on Colab.
    const drivePath = runDir?.startsWith(mountPrefix) ? runDir.slice(mountPrefix.length) : undefined;
    const status = {
      run: runId,
      state: 'running',
      cell: 0,
      total: code.length,
      error: null as string | null,
      traceback: null as string | null,
      gpu: st.gpu ?? 'Tesla T4',
    };
    const write = (change: Partial<typeof status> = {}) => {
      if (!drivePath || st.stopped) return;
      Object.assign(status, change);
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      drive.store.writeByPath(`${drivePath}/airlock_status.json`, JSON.stringify({ ...status, updatedAt: now, heartbeatAt: now }));
    };
    // What the status cell's tee would append to the output log on Drive.
    const print = (text: string) => drivePath && !st.stopped && drive.store.appendByPath(`${drivePath}/airlock_output.log`, text);
    print(`Airlock: run ${runId} reports to ${runDir}\n`);
    let i = 0;
    const step = () => {
      if (st.stopped) return;
      if (i === scenario.disconnectAfterCells) return void ((st.disconnected = true), (st.stopped = true));
      if (i === scenario.silentAfterCells) return void (st.stopped = true);
      if (i >= code.length) {
        write({ state: 'done', cell: code.length });
        if (drivePath) {
          drive.store.writeByPath(`${drivePath}/results.json`, '{"accuracy": 0.91}');
          drive.store.writeByPath(`${drivePath}/plots/report.html`, '<html><body>report</body></html>', 'text/html');
        }
        st.finished = true;
        return;
      }
      const src = code[i]!;
      if (scenario.hang && i === 1) {
        st.outputs[i] = 'training…';
        let n = 0;
        const beat = setInterval(() => (st.stopped ? clearInterval(beat) : (write(), print(`training… step ${++n}\n`))), 100);
        return;
      }
      const raised = /raise (\w+)\("([^"]*)"\)/.exec(src);
      if (raised) {
        st.outputs[i] = `${raised[1]}: ${raised[2]}`;
        write({
          state: 'failed',
          cell: i + 1,
          error: `${raised[1]}: ${raised[2]}`,
          traceback: `Traceback (most recent call last):\n  File "<ipython-input-${i}>", line 1, in <module>\n    raise ${raised[1]}("${raised[2]}")\n${raised[1]}: ${raised[2]}\n`,
        });
        st.finished = true;
        return;
      }
      st.outputs[i] = 'ok';
      // A cell's print("…") lines, as the kernel would print them.
      for (const m of src.matchAll(/print\((["'])([^"'\\]*)\1\)/g)) print(`${m[2]}\n`);
      write({ cell: i + 1 });
      i++;
      setTimeout(step, scenario.cellMs);
    };
    setTimeout(step, scenario.cellMs);
  }

  async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
    let t = '';
    for await (const c of req as AsyncIterable<Buffer>) t += c.toString();
    return t ? (JSON.parse(t) as Record<string, unknown>) : {};
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const html = (status: number, text: string) => void res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' }).end(text);
    const json = (v: unknown) => void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(v));
    const nbMatch = /^\/drive\/([^/]+)$/.exec(url.pathname);
    if (nbMatch && req.method === 'GET') {
      const fileId = decodeURIComponent(nbMatch[1]!);
      if (scenario.requireSignIn && !/\bSID=/.test(req.headers.cookie ?? '')) {
        return void res.writeHead(302, { Location: `/ServiceLogin?continue=${encodeURIComponent(url.pathname)}` }).end();
      }
      const f = drive.store.get(fileId);
      if (!f?.content) return html(404, '<h1>Notebook loading error</h1>');
      const nb = JSON.parse(f.content.toString()) as { cells: { cell_type: string; source: string | string[] }[] };
      const cells = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
      return html(
        200,
        notebookPage({
          fileId,
          title: f.name,
          cells,
          offeredGpus: scenario.offeredGpus,
          noGpuBackend: scenario.noGpuBackend,
          drivePermission: scenario.drivePermission,
        }),
      );
    }
    if (url.pathname === '/ServiceLogin') return html(200, signInPage(url.searchParams.get('continue') ?? '/'));
    // For tests in another process (the extension host): POST changes switches, GET reads them.
    if (url.pathname === '/_fake/scenario') {
      if (req.method === 'POST') Object.assign(scenario, await body(req));
      return json(scenario);
    }
    const api = /^\/_fake\/(run|state|runtime|interrupt)\/([^/]+)$/.exec(url.pathname);
    if (api) {
      const st = stateOf(decodeURIComponent(api[2]!));
      if (api[1] === 'run') simulate(decodeURIComponent(api[2]!));
      if (api[1] === 'runtime') st.gpu = (await body(req)).gpu as string | null;
      if (api[1] === 'interrupt') st.interrupted = st.stopped = true;
      return json(st);
    }
    html(404, 'not found');
  }

  const server = createServer((req, res) => void handle(req, res).catch((e: Error) => res.writeHead(500).end(e.message)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    scenario,
    runs,
    close: () =>
      new Promise<void>((r) => {
        for (const st of runs.values()) st.stopped = true;
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
