// Live Logs webview: a list of streams and a virtualized view of the active one. It never holds a
// whole stream: it asks the extension host for the rows around the visible window.
import './logs.css';
import type { FilterState, HostToWebview, Row, StreamSummary, WebviewToHost } from '../../src/shared/logsProtocol';
import { renderLine } from './render';
import { el, iconButton } from './dom';

interface ViewState {
  timestamps?: boolean;
  wrap?: boolean;
  collapsed?: string[];
}
declare function acquireVsCodeApi(): { postMessage(m: WebviewToHost): void; getState(): ViewState | undefined; setState(s: ViewState): void };
const vscode = acquireVsCodeApi();
const post = (m: WebviewToHost) => vscode.postMessage(m);

const rowHeight = 18;
const overscan = 100;
const maxCached = 6000;

let streams: StreamSummary[] = [];
let activeId: string | undefined;
let filter: FilterState = { text: '', regex: false, caseSensitive: false };
let generation = 0;
let follow = true;
let cache = new Map<number, Row>();
let requested = new Set<number>();
let selection: { anchor: number; focus: number } | undefined;
let programmaticScroll = false;
// Display choices survive the webview being hidden and reloaded (VS Code keeps the state).
const saved = vscode.getState() ?? {};
let showTimestamps = saved.timestamps ?? false;
let wrap = saved.wrap ?? false;
const collapsed = new Set<string>(saved.collapsed ?? []);
const saveState = () => vscode.setState({ timestamps: showTimestamps, wrap, collapsed: [...collapsed] });

// ---- layout
const streamList = el('div', { class: 'streams', role: 'listbox', 'aria-label': 'Log streams' });
const filterInput = el('input', { type: 'text', placeholder: 'Filter (text or regex)', 'aria-label': 'Filter lines' }) as HTMLInputElement;
const regexBtn = iconButton('regex', 'Use regular expression', () => setFilter({ regex: !filter.regex }));
const caseBtn = iconButton('case-sensitive', 'Match case', () => setFilter({ caseSensitive: !filter.caseSensitive }));
const followBtn = iconButton('fold-down', 'Follow output', () => setFollow(!follow));
const timeBtn = iconButton('clock', 'Show timestamps', () => setDisplay({ timestamps: !showTimestamps }));
const wrapBtn = iconButton('word-wrap', 'Wrap long lines', () => setDisplay({ wrap: !wrap }));
const copyBtn = iconButton('copy', 'Copy lines (selection, or all shown)', () => copy());
const clearBtn = iconButton('clear-all', 'Clear stream', () => activeId && post({ type: 'clear', streamId: activeId }));
const stopBtn = iconButton('debug-stop', 'Stop', () => activeId && post({ type: 'stop', streamId: activeId }));
const closeBtn = iconButton('close', 'Remove stream', () => activeId && post({ type: 'remove', streamId: activeId }));
const status = el('span', { class: 'status', 'aria-live': 'polite' });
const spacer = el('div', { class: 'spacer' });
// In wrap mode the visible rows flow in this block (their heights vary); otherwise each row is placed absolutely.
const windowBlock = el('div', { class: 'window' });
const viewport = el('div', { class: 'viewport', role: 'log', 'aria-label': 'Log lines', tabindex: '0' }, [spacer]);
const empty = el('div', { class: 'empty' }, ['No output yet. Run "Airlock: Run Command on Host…" or tail a file from the Hosts view.']);
const main = el('div', { class: 'main' }, [
  el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Log actions' }, [
    filterInput,
    regexBtn,
    caseBtn,
    followBtn,
    timeBtn,
    wrapBtn,
    copyBtn,
    clearBtn,
    stopBtn,
    closeBtn,
    status,
  ]),
  viewport,
]);
document.getElementById('app')!.append(streamList, main);

let filterTimer: number | undefined;
filterInput.addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = window.setTimeout(() => setFilter({ text: filterInput.value }), 150);
});
viewport.addEventListener('scroll', () => {
  if (programmaticScroll) {
    programmaticScroll = false;
  } else {
    const atBottom = viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - rowHeight;
    if (atBottom !== follow) setFollow(atBottom, false);
  }
  render();
});
viewport.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 'c') copy();
  if (e.key === 'End') setFollow(true);
});
window.addEventListener('resize', () => render());
// The viewport can get its size after the first snapshot (a panel opened in the background): draw
// again when it does, or the first rows were laid out for a zero-height view and stayed blank.
new ResizeObserver(() => render()).observe(viewport);
window.addEventListener('message', (e: MessageEvent<HostToWebview>) => handle(e.data));

function active(): StreamSummary | undefined {
  return streams.find((s) => s.id === activeId);
}

function handle(m: HostToWebview): void {
  switch (m.type) {
    case 'snapshot':
      filter = m.filter;
      filterInput.value = m.filter.text;
      setStreams(m.streams, m.activeId, true);
      return;
    case 'streams':
      setStreams(m.streams, m.activeId, false);
      return;
    case 'rows':
      // A stale answer (another stream, an older filter) is dropped; the rows it stood for are
      // asked again by the next render, never left marked as requested — that left a blank view.
      if (m.streamId !== activeId || m.generation !== generation) return;
      m.rows.forEach((r, i) => cache.set(m.start + i, r));
      for (let i = m.start; i < m.start + m.rows.length; i++) requested.delete(i);
      render();
      return;
    case 'filter':
      filter = m.filter;
      // The webview numbers its own generations: taking the host's (which counts differently)
      // could accept rows asked for under the previous filter as this one's.
      generation += 1;
      resetRows();
      renderToolbar();
      return;
    default: {
      const unexpected: never = m;
      throw new Error(`unknown message ${JSON.stringify(unexpected)}`);
    }
  }
}

function setStreams(next: StreamSummary[], nextActive: string | undefined, reset: boolean): void {
  const prevRows = active()?.rows ?? 0;
  const changedStream = nextActive !== activeId;
  streams = next;
  activeId = nextActive;
  if (reset || changedStream) {
    generation += 1;
    resetRows();
    selection = undefined;
    if (changedStream) follow = true;
  } else if ((active()?.rows ?? 0) < prevRows) {
    resetRows();
  }
  renderStreams();
  renderToolbar();
  render();
}

function resetRows(): void {
  cache = new Map();
  requested = new Set();
}

function setFilter(patch: Partial<FilterState>): void {
  filter = { ...filter, ...patch };
  post({ type: 'setFilter', text: filter.text, regex: filter.regex, caseSensitive: filter.caseSensitive });
}

function setDisplay(patch: { timestamps?: boolean; wrap?: boolean }): void {
  if (patch.timestamps !== undefined) showTimestamps = patch.timestamps;
  if (patch.wrap !== undefined) wrap = patch.wrap;
  saveState();
  document.body.classList.toggle('wrap', wrap);
  document.body.classList.toggle('timestamps', showTimestamps);
  for (const row of pool) row.dataset.key = '';
  renderToolbar();
  render();
}

function setFollow(on: boolean, scroll = true): void {
  follow = on;
  followBtn.setAttribute('aria-pressed', String(on));
  if (on && scroll) render();
}

function copy(): void {
  if (!activeId) return;
  if (selection) {
    const start = Math.min(selection.anchor, selection.focus);
    post({ type: 'copy', streamId: activeId, what: { start, count: Math.abs(selection.focus - selection.anchor) + 1 } });
  } else {
    post({ type: 'copy', streamId: activeId, what: 'all' });
  }
}

const stateIcon: Record<StreamSummary['state'], string> = { running: 'sync~spin', done: 'pass', failed: 'error', cancelled: 'circle-slash' };

interface GroupNode {
  label: string;
  key: string;
  groups: Map<string, GroupNode>;
  streams: StreamSummary[];
  /** Streams anywhere below, for the group's count and its running marker. */
  all: StreamSummary[];
}

/** Streams filed by run: a sweep → its cases → roles, a phases run → workers, a notebook run. */
function groupTree(list: StreamSummary[]): GroupNode {
  const root: GroupNode = { label: '', key: '', groups: new Map(), streams: [], all: [] };
  for (const s of list) {
    let node = root;
    for (const part of s.group) {
      let next = node.groups.get(part);
      if (!next) {
        next = { label: part, key: `${node.key}/${part}`, groups: new Map(), streams: [], all: [] };
        node.groups.set(part, next);
      }
      next.all.push(s);
      node = next;
    }
    node.streams.push(s);
  }
  return root;
}

function streamButton(s: StreamSummary, depth: number): HTMLElement {
  const [name, modifier] = stateIcon[s.state].split('~');
  const icon = el('span', { class: `codicon codicon-${name}${modifier ? ` codicon-modifier-${modifier}` : ''} state-${s.state}`, 'aria-hidden': 'true' });
  const where = s.group.length ? ` in ${s.group.join(' › ')}` : '';
  const label = `${s.name} — ${s.state}${s.exitCode !== undefined && s.exitCode !== null && s.state !== 'running' ? ` (exit ${s.exitCode})` : ''}${where}`;
  const button = el('button', { class: 'stream', role: 'option', 'aria-selected': String(s.id === activeId), title: label, 'aria-label': label }, [
    icon,
    el('span', { class: 'title' }, [s.name]),
    el('span', { class: 'meta' }, [String(s.lines)]),
  ]);
  button.style.paddingLeft = `${10 + depth * 12}px`;
  button.addEventListener('click', () => post({ type: 'select', streamId: s.id }));
  return button;
}

function renderGroup(g: GroupNode, depth: number): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const child of g.groups.values()) {
    const open = !collapsed.has(child.key);
    const running = child.all.some((s) => s.state === 'running');
    const failed = child.all.some((s) => s.state === 'failed');
    const header = el(
      'button',
      { class: 'group', type: 'button', 'aria-expanded': String(open), 'aria-label': `${child.label} (${child.all.length} streams)`, title: child.label },
      [
        el('span', { class: `codicon codicon-chevron-${open ? 'down' : 'right'}`, 'aria-hidden': 'true' }),
        el('span', { class: 'title' }, [child.label]),
        el('span', { class: `meta${failed ? ' state-failed' : running ? ' state-running' : ''}` }, [String(child.all.length)]),
      ],
    );
    header.style.paddingLeft = `${4 + depth * 12}px`;
    header.addEventListener('click', () => {
      if (open) collapsed.add(child.key);
      else collapsed.delete(child.key);
      saveState();
      renderStreams();
    });
    const body = open ? [...renderGroup(child, depth + 1), ...child.streams.map((s) => streamButton(s, depth + 1))] : [];
    out.push(el('div', { role: 'group', 'aria-label': child.label }, [header, ...body]));
  }
  return out;
}

function renderStreams(): void {
  const root = groupTree(streams);
  streamList.replaceChildren(el('h2', {}, ['Streams']), ...renderGroup(root, 0), ...root.streams.map((s) => streamButton(s, 0)));
}

function renderToolbar(): void {
  const s = active();
  regexBtn.setAttribute('aria-pressed', String(filter.regex));
  caseBtn.setAttribute('aria-pressed', String(filter.caseSensitive));
  followBtn.setAttribute('aria-pressed', String(follow));
  timeBtn.setAttribute('aria-pressed', String(showTimestamps));
  wrapBtn.setAttribute('aria-pressed', String(wrap));
  filterInput.classList.toggle('invalid', !!filter.error);
  filterInput.title = filter.error ?? '';
  stopBtn.disabled = !s || s.state !== 'running';
  for (const b of [copyBtn, clearBtn, closeBtn]) b.disabled = !s;
  if (!s) status.textContent = '';
  else {
    const shown = filter.text ? `${s.rows.toLocaleString()} of ${s.lines.toLocaleString()} lines` : `${s.lines.toLocaleString()} lines`;
    status.textContent = `${shown}${s.dropped ? ` · ${s.dropped.toLocaleString()} older dropped` : ''}${filter.error ? ` · ${filter.error}` : ''}`;
  }
}

const pool: HTMLElement[] = [];

function render(): void {
  const s = active();
  if (!s) {
    spacer.replaceChildren(empty);
    spacer.style.height = 'auto';
    return;
  }
  if (empty.isConnected) empty.remove();
  // Wrapped rows in the window are taller than one line: the extra height is added below them.
  const extra = wrap ? Math.max(0, windowBlock.offsetHeight - windowBlock.childElementCount * rowHeight) : 0;
  spacer.style.height = `${s.rows * rowHeight + extra}px`;
  if (follow) {
    const bottom = Math.max(0, s.rows * rowHeight + extra - viewport.clientHeight);
    if (Math.abs(viewport.scrollTop - bottom) > 1) {
      programmaticScroll = true;
      viewport.scrollTop = bottom;
    }
  }
  const first = Math.max(0, Math.floor(viewport.scrollTop / rowHeight));
  const count = Math.ceil(viewport.clientHeight / rowHeight) + 1;
  const last = Math.min(s.rows, first + count);
  requestMissing(s, Math.max(0, first - overscan), Math.min(s.rows, last + overscan));
  while (pool.length < last - first) {
    const row = el('div', { class: 'row' }, [el('span', { class: 'ln' }), el('span', { class: 'ts' }), el('span', { class: 'text' })]);
    row.addEventListener('click', (e) => select(Number(row.dataset.index), e.shiftKey));
    pool.push(row);
  }
  const visible = pool.slice(0, Math.max(0, last - first));
  visible.forEach((row, i) => {
    const index = first + i;
    const data = cache.get(index);
    row.style.top = wrap ? '' : `${index * rowHeight}px`;
    row.dataset.index = String(index);
    row.classList.toggle('err', !!data?.err && !data.airlock);
    row.classList.toggle('airlock', !!data?.airlock);
    row.classList.toggle(
      'selected',
      !!selection && index >= Math.min(selection.anchor, selection.focus) && index <= Math.max(selection.anchor, selection.focus),
    );
    const key = data ? `${generation}:${data.n}` : '';
    if (row.dataset.key !== key) {
      row.dataset.key = key;
      (row.firstChild as HTMLElement).textContent = data ? String(data.n + 1) : '';
      (row.children[1] as HTMLElement).textContent = data && showTimestamps ? timeOf(data.at) : '';
      renderLine(row.lastChild as HTMLElement, data?.text ?? '');
    }
  });
  if (wrap) {
    windowBlock.style.top = `${first * rowHeight}px`;
    windowBlock.replaceChildren(...visible);
    spacer.replaceChildren(windowBlock);
  } else spacer.replaceChildren(...visible);
  trimCache(first);
}

const two = (n: number) => String(n).padStart(2, '0');
/** Local wall-clock time of a line, to the millisecond: lines of one second stay apart. */
function timeOf(at: number): string {
  const d = new Date(at);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

function requestMissing(s: StreamSummary, from: number, to: number): void {
  let start = -1;
  const flush = (end: number) => {
    if (start < 0) return;
    for (let i = start; i < end; i++) requested.add(i);
    post({ type: 'requestRows', streamId: s.id, start, count: end - start, generation });
    start = -1;
  };
  for (let i = from; i < to; i++) {
    const missing = !cache.has(i) && !requested.has(i);
    if (missing && start < 0) start = i;
    if (!missing) flush(i);
  }
  flush(to);
}

function trimCache(around: number): void {
  if (cache.size <= maxCached) return;
  for (const k of cache.keys()) if (Math.abs(k - around) > maxCached / 2) cache.delete(k);
}

function select(index: number, extend: boolean): void {
  selection = extend && selection ? { anchor: selection.anchor, focus: index } : { anchor: index, focus: index };
  setFollow(false, false);
  render();
}

document.body.classList.toggle('wrap', wrap);
document.body.classList.toggle('timestamps', showTimestamps);
renderToolbar();
post({ type: 'ready' });
