// The Matrix panel: a trade-off table (sortable, baseline Δ%, hide/show columns, virtualized rows)
// and a scatter plot of two metrics with the Pareto front; export to CSV and PNG.
import { el, iconButton } from '../logs/dom';
import { deltaPct, sortOrder, verdict, type Better } from '../../src/core/matrix/pareto';
import { csvRows } from '../../src/core/csv/csv';
import type { HostToWebview, WebviewToHost } from '../../src/shared/matrixProtocol';
import { drawPlot, type PlotResult } from './plot';
import { betterOf, buildModel, defaultChoices, rowKey, type Choices, type Model } from './state';
import './matrix.css';

declare function acquireVsCodeApi(): { postMessage(m: WebviewToHost): void; getState(): unknown; setState(s: unknown): void };
const vscode = acquireVsCodeApi();
const post = (m: WebviewToHost) => vscode.postMessage(m);

const rowHeight = 24;
let model: Model | undefined;
let choices: Choices;
let order: number[] = [];
let plot: PlotResult = { front: [], points: [] };
let hoverRow: number | undefined;

const titleEl = el('span', { class: 'title' });
const baselineSel = el('select', { 'aria-label': 'Baseline row', title: 'Baseline: Δ% of every cell against this row' }) as HTMLSelectElement;
const xSel = el('select', { 'aria-label': 'Plot X axis' }) as HTMLSelectElement;
const ySel = el('select', { 'aria-label': 'Plot Y axis' }) as HTMLSelectElement;
const columnsBtn = iconButton('list-selection', 'Show or hide columns', () => columnsMenu.classList.toggle('open'));
const csvBtn = iconButton('export', 'Export CSV (visible columns, current order)', exportCsv);
const pngBtn = iconButton('file-media', 'Export the plot as PNG', () =>
  post({ type: 'exportPng', dataUrl: canvas.toDataURL('image/png'), suggestedName: `${baseName()}-plot.png` }),
);
const status = el('span', { class: 'status', 'aria-live': 'polite' });
const note = el('div', { class: 'note', role: 'note' });
const columnsMenu = el('div', { class: 'columns-menu', role: 'group', 'aria-label': 'Columns' });
const canvas = el('canvas', { class: 'plot', role: 'img', 'aria-label': 'Scatter plot with the Pareto front' }) as HTMLCanvasElement;
const tip = el('div', { class: 'tip', role: 'tooltip' });
const head = el('div', { class: 'thead', role: 'row' });
// One scroll container for both directions: the header is a sticky row inside it, so it can never
// scroll sideways apart from the cells (two nested scroll areas did, and put values under the wrong
// header). Header and rows share one grid template and one width, so their columns line up exactly.
const body = el('div', { class: 'tbody', role: 'rowgroup' });
const grid = el('div', { class: 'grid' }, [head, body]);
const table = el('div', { class: 'table', role: 'table', 'aria-label': 'Trade-off matrix' }, [grid]);
document.body.append(
  el('div', { class: 'toolbar', role: 'toolbar' }, [
    titleEl,
    label('Baseline', baselineSel),
    label('X', xSel),
    label('Y', ySel),
    columnsBtn,
    csvBtn,
    pngBtn,
    status,
  ]),
  note,
  columnsMenu,
  el('div', { class: 'plot-wrap' }, [canvas, tip]),
  table,
);

function label(text: string, control: HTMLElement): HTMLElement {
  return el('label', { class: 'field' }, [text, control]);
}

function baseName(): string {
  return (model?.data.title ?? 'matrix').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.csv$/, '');
}

function save(): void {
  vscode.setState({ choices });
}

function visibleCols(): number[] {
  return model ? model.data.header.map((_, c) => c).filter((c) => !choices.hidden.includes(model!.data.header[c]!)) : [];
}

function options(sel: HTMLSelectElement, items: { value: string; text: string }[], value?: string): void {
  sel.replaceChildren(...items.map((o) => Object.assign(el('option', { value: o.value }, [o.text]), { selected: o.value === value })));
}

function setup(): void {
  const m = model!;
  titleEl.textContent = m.data.title;
  titleEl.title = m.data.source;
  note.textContent = m.data.note;
  note.hidden = !m.data.note;
  options(baselineSel, [{ value: '', text: '(none)' }, ...m.data.rows.map((_, i) => ({ value: rowKey(m, i), text: rowKey(m, i) }))], choices.baseline);
  const nums = m.data.header.filter((_, c) => m.numeric[c]).map((h) => ({ value: h, text: h }));
  options(xSel, nums, choices.x);
  options(ySel, nums, choices.y);
  columnsMenu.replaceChildren(
    ...m.data.header.map((h) => {
      const box = Object.assign(el('input', { type: 'checkbox' }) as HTMLInputElement, { checked: !choices.hidden.includes(h) });
      box.addEventListener('change', () => {
        choices.hidden = box.checked ? choices.hidden.filter((x) => x !== h) : [...choices.hidden, h];
        save();
        renderTable();
      });
      return el('label', {}, [box, h]);
    }),
  );
  resort();
  renderPlot();
}

function resort(): void {
  const m = model!;
  const c = choices.sortCol ? m.data.header.indexOf(choices.sortCol) : -1;
  order =
    c < 0
      ? m.data.rows.map((_, i) => i)
      : sortOrder(
          m.values.map((r) => r[c]!),
          m.data.rows.map((r) => r[c] ?? ''),
          choices.ascending,
        );
  renderTable();
}

function baselineIndex(): number {
  return choices.baseline ? model!.data.rows.findIndex((_, i) => rowKey(model!, i) === choices.baseline) : -1;
}

function renderTable(): void {
  const m = model!;
  const cols = visibleCols();
  const metric = (c: number) => m.numeric[c] && !!betterOf(choices, m, m.data.header[c]!);
  const widths = cols.map((c): [number, number] => (c === m.keyCol ? [160, 2] : metric(c) ? [160, 1] : [90, 1]));
  head.style.gridTemplateColumns = widths.map(([min, fr]) => `minmax(${min}px, ${fr}fr)`).join(' ');
  grid.style.minWidth = `${widths.reduce((a, [min]) => a + min, 0)}px`;
  head.replaceChildren(
    ...cols.map((c) => {
      const name = m.data.header[c]!;
      const better = m.numeric[c] ? betterOf(choices, m, name) : undefined;
      const sorted = choices.sortCol === name;
      const cell = el(
        'div',
        { class: 'th', role: 'columnheader', 'aria-sort': sorted ? (choices.ascending ? 'ascending' : 'descending') : 'none', title: `Sort by ${name}` },
        [el('span', { class: 'name' }, [name]), sorted ? el('span', { class: `codicon codicon-arrow-${choices.ascending ? 'up' : 'down'}` }) : ''],
      );
      cell.addEventListener('click', () => {
        choices.ascending = choices.sortCol === name ? !choices.ascending : true;
        choices.sortCol = name;
        save();
        resort();
      });
      if (m.numeric[c]) {
        const dir = el(
          'button',
          { class: 'dir', type: 'button', title: `${better === 'max' ? 'Higher' : better === 'min' ? 'Lower' : 'Neither'} is better — click to change` },
          [better === 'max' ? '▲' : better === 'min' ? '▼' : '·'],
        );
        dir.addEventListener('click', (e) => {
          e.stopPropagation();
          choices.better[name] = better === 'min' ? 'max' : 'min';
          save();
          renderTable();
          renderPlot();
        });
        cell.append(dir);
      }
      return cell;
    }),
  );
  body.style.height = `${order.length * rowHeight}px`;
  status.textContent = `${m.data.rows.length.toLocaleString()} rows · ${cols.length}/${m.data.header.length} columns`;
  renderRows();
}

/** Only the rows in view exist in the DOM: 10,000 rows scroll like 10. */
function renderRows(): void {
  const m = model!;
  const cols = visibleCols();
  // The rows start below the sticky header inside the one scroll container.
  const first = Math.max(0, Math.floor(Math.max(0, table.scrollTop - head.offsetHeight) / rowHeight) - 5);
  const count = Math.ceil(table.clientHeight / rowHeight) + 10;
  const base = baselineIndex();
  const front = new Set(plot.front);
  const rows: HTMLElement[] = [];
  for (let k = first; k < Math.min(order.length, first + count); k++) {
    const i = order[k]!;
    const row = el('div', { class: `tr${i === base ? ' baseline' : ''}${front.has(i) ? ' front' : ''}${i === hoverRow ? ' hover' : ''}`, role: 'row' });
    row.style.gridTemplateColumns = head.style.gridTemplateColumns;
    row.style.top = `${k * rowHeight}px`;
    for (const c of cols) {
      const text = m.data.rows[i]![c] ?? '';
      const cell = el('div', { class: `td${m.numeric[c] ? ' num' : ''}`, role: 'cell', title: text }, [text]);
      // Δ% only for metrics (a column with a better direction), not for parameters like batch or seq.
      const better = m.numeric[c] ? betterOf(choices, m, m.data.header[c]!) : undefined;
      if (base >= 0 && i !== base && better) {
        const d = deltaPct(m.values[i]![c]!, m.values[base]![c]!);
        if (d !== null) {
          const v = verdict(d, better);
          cell.append(el('span', { class: `delta ${v > 0 ? 'good' : v < 0 ? 'bad' : ''}` }, [`${d > 0 ? '+' : ''}${d.toFixed(1)}%`]));
        }
      }
      row.append(cell);
    }
    row.addEventListener('mouseenter', () => setHover(i));
    rows.push(row);
  }
  body.replaceChildren(...rows);
}

function setHover(i: number | undefined): void {
  if (hoverRow === i) return;
  hoverRow = i;
  renderPlot();
}

function renderPlot(): void {
  const m = model!;
  const xc = choices.x ? m.data.header.indexOf(choices.x) : -1;
  const yc = choices.y ? m.data.header.indexOf(choices.y) : -1;
  if (xc < 0 || yc < 0) {
    canvas.classList.add('empty');
    return;
  }
  canvas.classList.remove('empty');
  const bx: Better = betterOf(choices, m, choices.x!) ?? 'min';
  const by: Better = betterOf(choices, m, choices.y!) ?? 'max';
  plot = drawPlot(canvas, {
    xs: m.values.map((r) => r[xc]!),
    ys: m.values.map((r) => r[yc]!),
    labels: m.data.rows.map((_, i) => rowKey(m, i)),
    xName: choices.x!,
    yName: choices.y!,
    bx,
    by,
    highlight: hoverRow,
  });
  canvas.setAttribute('aria-label', `${choices.y} against ${choices.x}: ${plot.front.length} rows on the Pareto front`);
  renderRowsSoon();
}

let rowsQueued = false;
function renderRowsSoon(): void {
  if (rowsQueued) return;
  rowsQueued = true;
  requestAnimationFrame(() => {
    rowsQueued = false;
    renderRows();
  });
}

function exportCsv(): void {
  const m = model!;
  const cols = visibleCols();
  // The one CSV writer; an export is opened in spreadsheets, so formula cells are neutralised (numbers stay numbers).
  const rows = [cols.map((c) => m.data.header[c]!), ...order.map((i) => cols.map((c) => m.data.rows[i]![c] ?? ''))];
  post({ type: 'exportCsv', csv: csvRows(rows, { neutralizeFormulas: true }), suggestedName: `${baseName()}-view.csv` });
}

canvas.addEventListener('mousemove', (e) => {
  const r = canvas.getBoundingClientRect();
  const x = e.clientX - r.left;
  const y = e.clientY - r.top;
  let best: { i: number; d: number } | undefined;
  for (const p of plot.points) {
    const d = (p.px - x) ** 2 + (p.py - y) ** 2;
    if (d < 100 && (!best || d < best.d)) best = { i: p.i, d };
  }
  if (!best) {
    tip.style.display = 'none';
    return setHover(undefined);
  }
  const m = model!;
  tip.textContent = `${rowKey(m, best.i)} — ${choices.x}: ${m.data.rows[best.i]![m.data.header.indexOf(choices.x!)]}, ${choices.y}: ${m.data.rows[best.i]![m.data.header.indexOf(choices.y!)]}`;
  tip.style.display = 'block';
  tip.style.left = `${x + 12}px`;
  tip.style.top = `${y + 12}px`;
  setHover(best.i);
});
canvas.addEventListener('mouseleave', () => {
  tip.style.display = 'none';
  setHover(undefined);
});
table.addEventListener('scroll', () => renderRowsSoon());
body.addEventListener('mouseleave', () => setHover(undefined));
window.addEventListener('resize', () => model && (renderPlot(), renderRows()));
baselineSel.addEventListener('change', () => {
  choices.baseline = baselineSel.value || undefined;
  save();
  renderRows();
});
xSel.addEventListener('change', () => {
  choices.x = xSel.value;
  save();
  renderPlot();
});
ySel.addEventListener('change', () => {
  choices.y = ySel.value;
  save();
  renderPlot();
});

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'table': {
      model = buildModel(msg.table);
      const saved = (vscode.getState() as { choices?: Partial<Choices> } | undefined)?.choices;
      choices = defaultChoices(model, saved);
      save();
      setup();
      return;
    }
  }
});
post({ type: 'ready' });
