// The notebook reports its own progress: render inserts a small cell before the first code cell
// that writes `airlock_status.json` ({state, cell, total, error, updatedAt, heartbeatAt, gpu}) into
// the run's results folder after every cell (an IPython post_run_cell hook) and on a heartbeat, and
// a last cell that writes `done`. On Colab the folder is on the mounted Drive, so Airlock follows
// the run by polling one small file through the Drive API instead of scraping Colab's page.
import { pyString } from './pyLiteral';

export const statusFileName = 'airlock_status.json';
/** What the notebook prints (stdout and stderr, teed), appended as it comes: Airlock tails it. */
export const outputFileName = 'airlock_output.log';

export interface StatusWriterOptions {
  runId: string;
  /** Where the notebook writes the status file and its results (a path as the kernel sees it). */
  runDir: string;
  /** Mount Google Drive at /content/drive first (on Colab; skipped where google.colab is missing). */
  mountDrive?: boolean;
  /** Fail at once when the runtime has no GPU (`nvidia-smi` finds none) — names the GPU asked for. */
  requireGpu?: string;
  /** Seconds between heartbeats; a stale heartbeat tells Airlock the runtime is gone. */
  heartbeatSec?: number;
}

export type RunState = 'running' | 'done' | 'failed';

/** What the notebook writes; `cell` counts finished code cells, including Airlock's own two. */
export interface RunStatus {
  run: string;
  state: RunState;
  cell: number;
  total: number;
  error: string | null;
  traceback: string | null;
  gpu: string | null;
  updatedAt: string;
  heartbeatAt?: string;
}

/** The status file's text as a RunStatus, or undefined while it is missing, partial or foreign. */
export function parseRunStatus(text: string): RunStatus | undefined {
  try {
    const s = JSON.parse(text) as Partial<RunStatus>;
    if (typeof s.state !== 'string' || !['running', 'done', 'failed'].includes(s.state) || typeof s.cell !== 'number') return undefined;
    return {
      run: String(s.run ?? ''),
      state: s.state,
      cell: s.cell,
      total: Number(s.total ?? 0),
      error: s.error ?? null,
      traceback: s.traceback ?? null,
      gpu: s.gpu ?? null,
      updatedAt: String(s.updatedAt ?? ''),
      ...(s.heartbeatAt ? { heartbeatAt: s.heartbeatAt } : {}),
    };
  } catch {
    return undefined;
  }
}

const marker = '# Added by Airlock';

/** True for the cells this module adds (a second render replaces them instead of stacking). */
export function isStatusCell(source: string | string[]): boolean {
  return (Array.isArray(source) ? source.join('') : source).includes(`${marker}:`);
}

function asLines(code: string): string[] {
  const lines = code.split(/(?<=\n)/);
  const last = lines.length - 1;
  lines[last] = lines[last]!.replace(/\n$/, '');
  return lines;
}

/** Source lines of the first cell: mount, GPU check, writer, hook, heartbeat. `total` = code cells. */
export function statusCellSource(o: StatusWriterOptions, total: number): string[] {
  const py = `#@title Airlock run status { display-mode: "form" }
${marker}: reports this run's progress to ${statusFileName} in AIRLOCK_RUN_DIR so Airlock can follow it.
# Safe to delete when you run the notebook by hand.
AIRLOCK_RUN_ID = ${pyString(o.runId)}
AIRLOCK_RUN_DIR = ${pyString(o.runDir)}
import json as _al_json, os as _al_os, sys as _al_sys, threading as _al_threading, time as _al_time, traceback as _al_tb
_al = {"run": AIRLOCK_RUN_ID, "state": "running", "cell": 0, "total": ${total}, "error": None, "traceback": None, "gpu": None}
_al_lock = _al_threading.Lock()
_al_out, _al_out_lock, _al_out_size = [], _al_threading.Lock(), [0]
def _al_now():
    return _al_time.strftime("%Y-%m-%dT%H:%M:%SZ", _al_time.gmtime())
def _al_flush_output():
    # What was printed since the last flush, appended to ${outputFileName} (at most 20 MB in all).
    with _al_out_lock:
        n = len(_al_out)
        text = "".join(_al_out[:n])
        del _al_out[:n]
        if not text or _al_out_size[0] >= 20 << 20:
            return
        if _al_out_size[0] + len(text) > 20 << 20:
            text = text[:(20 << 20) - _al_out_size[0]] + "\\n[airlock] output log stops here (20 MB)\\n"
        _al_out_size[0] += len(text)
        with open(_al_os.path.join(AIRLOCK_RUN_DIR, ${pyString(outputFileName)}), "a") as _f:
            _f.write(text)
class _AlTee:
    # Prints still reach the notebook; a copy waits for the next flush.
    def __init__(self, stream):
        self._al_stream = stream
    def write(self, text):
        if isinstance(text, str) and _al["state"] == "running":
            _al_out.append(text)
        return self._al_stream.write(text)
    def flush(self):
        return self._al_stream.flush()
    def __getattr__(self, name):
        return getattr(self._al_stream, name)
def _al_write(**change):
    _al_flush_output()
    # One writer at a time (cells and the heartbeat thread); a plain write: Drive syncs whole files.
    with _al_lock:
        _al.update(change)
        _al["updatedAt"] = _al["heartbeatAt"] = _al_now()
        with open(_al_os.path.join(AIRLOCK_RUN_DIR, ${pyString(statusFileName)}), "w") as _f:
            _al_json.dump(_al, _f)
def _al_flush():
    # Colab syncs the Drive mount lazily; flushing makes the final state visible to Airlock now.
    try:
        from google.colab import drive as _d
        _d.flush_and_unmount()
    except Exception:
        pass
${
  o.mountDrive
    ? `try:
    from google.colab import drive as _al_drive
except ImportError:
    _al_drive = None  # not on Colab: AIRLOCK_RUN_DIR is a local path
if _al_drive is not None:
    _al_drive.mount("/content/drive")
`
    : ''
}_al_os.makedirs(AIRLOCK_RUN_DIR, exist_ok=True)
for _al_name in ("stdout", "stderr"):
    _al_stream = getattr(_al_sys, _al_name)
    setattr(_al_sys, _al_name, _AlTee(getattr(_al_stream, "_al_stream", _al_stream)))  # once, also when this cell runs again
try:
    import subprocess as _al_sp
    _al["gpu"] = _al_sp.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True, text=True, timeout=30).stdout.strip() or None
except Exception:
    _al["gpu"] = None
${
  o.requireGpu
    ? `if not _al["gpu"]:
    _al_write(state="failed", cell=1, error=${pyString(`NoGpu: this runtime has no GPU (the run asked for ${o.requireGpu}); Colab may be out of GPU quota`)})
    _al_flush()
    raise RuntimeError(_al["error"])
`
    : ''
}def _al_post(result):
    if _al["state"] != "running":
        return
    err = result.error_in_exec or result.error_before_exec
    if err is None:
        _al_write(cell=_al["cell"] + 1)
        return
    tb = "".join(_al_tb.format_exception(type(err), err, err.__traceback__))
    _al_write(state="failed", cell=_al["cell"] + 1, error=(type(err).__name__ + ": " + str(err))[:2000], traceback=tb[-8000:])
    _al_flush()
for _cb in list(get_ipython().events.callbacks["post_run_cell"]):
    if getattr(_cb, "__name__", "") == "_al_post":  # this cell ran before: one hook only
        get_ipython().events.unregister("post_run_cell", _cb)
get_ipython().events.register("post_run_cell", _al_post)
def _al_beat():
    # Output every few seconds, the status (a heartbeat) every ${o.heartbeatSec ?? 30} s.
    last = _al_time.time()
    while _al["state"] == "running":
        _al_time.sleep(${Math.min(5, o.heartbeatSec ?? 30)})
        try:
            if _al["state"] != "running":
                break
            if _al_time.time() - last >= ${o.heartbeatSec ?? 30}:
                _al_write()
                last = _al_time.time()
            else:
                _al_flush_output()
        except Exception:
            pass
_al_threading.Thread(target=_al_beat, daemon=True).start()
_al_write()
print("Airlock: run " + AIRLOCK_RUN_ID + " reports to " + AIRLOCK_RUN_DIR)`;
  return asLines(py);
}

/** Source lines of the last cell: the run is done. */
export function doneCellSource(): string[] {
  return asLines(`#@title Airlock run status: done { display-mode: "form" }
${marker}: the last cell; marks the run done.
_al_write(state="done", cell=_al["total"])
_al_flush()
print("Airlock: run " + AIRLOCK_RUN_ID + " done")`);
}

export function statusCell(id: string, source: string[]): Record<string, unknown> {
  return { cell_type: 'code', execution_count: null, metadata: { cellView: 'form', id, tags: ['airlock-status'] }, outputs: [], source };
}
