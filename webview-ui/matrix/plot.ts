// The scatter plot of two metrics on a canvas, with the Pareto front marked (line + ringed points).
import { paretoFront, type Better } from '../../src/core/matrix/pareto';

export interface PlotInput {
  xs: (number | null)[];
  ys: (number | null)[];
  labels: string[];
  xName: string;
  yName: string;
  bx: Better;
  by: Better;
  highlight?: number;
}

export interface PlotResult {
  front: number[];
  /** Screen position of each drawn point, for hover lookup. */
  points: { i: number; px: number; py: number }[];
}

const css = (name: string, fallback: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (lo === hi) return [lo];
  const step = 10 ** Math.floor(Math.log10((hi - lo) / n));
  const err = (hi - lo) / n / step;
  const s = step * (err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1);
  const out: number[] = [];
  for (let v = Math.ceil(lo / s) * s; v <= hi + 1e-9 * s; v += s) out.push(Number(v.toPrecision(12)));
  return out;
}

export function drawPlot(canvas: HTMLCanvasElement, p: PlotInput): PlotResult {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const w_ = w;
  const h = canvas.clientHeight;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const g = canvas.getContext('2d')!;
  g.scale(dpr, dpr);
  const fg = css('--vscode-foreground', '#333');
  const muted = css('--vscode-descriptionForeground', '#777');
  const accent = css('--vscode-charts-blue', '#1a85ff');
  const frontColour = css('--vscode-charts-red', '#e51400');
  const grid = css('--vscode-editorWidget-border', '#ccc');
  g.fillStyle = css('--vscode-editor-background', '#fff');
  g.fillRect(0, 0, w, h);
  g.font = `${css('--vscode-font-size', '12px')} ${css('--vscode-font-family', 'sans-serif')}`;
  const pad = { l: 64, r: 16, t: 16, b: 44 };
  const ok = p.xs.map((x, i) => x !== null && p.ys[i] !== null && Number.isFinite(x) && Number.isFinite(p.ys[i]!));
  const vx = p.xs.filter((_, i) => ok[i]) as number[];
  const vy = p.ys.filter((_, i) => ok[i]) as number[];
  if (!vx.length) {
    g.fillStyle = muted;
    g.fillText('No rows have both values.', pad.l, h / 2);
    return { front: [], points: [] };
  }
  const span = (a: number[]) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of a) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
    const m = (hi - lo) * 0.05;
    return [lo - m, hi + m] as const;
  };
  const [x0, x1] = span(vx);
  const [y0, y1] = span(vy);
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * (w - pad.l - pad.r);
  const sy = (y: number) => h - pad.b - ((y - y0) / (y1 - y0)) * (h - pad.t - pad.b);
  g.strokeStyle = grid;
  g.fillStyle = muted;
  g.lineWidth = 1;
  for (const t of niceTicks(x0, x1)) {
    g.beginPath();
    g.moveTo(sx(t), pad.t);
    g.lineTo(sx(t), h - pad.b);
    g.stroke();
    g.textAlign = 'center';
    g.fillText(String(t), sx(t), h - pad.b + 14);
  }
  for (const t of niceTicks(y0, y1)) {
    g.beginPath();
    g.moveTo(pad.l, sy(t));
    g.lineTo(w - pad.r, sy(t));
    g.stroke();
    g.textAlign = 'right';
    g.fillText(String(t), pad.l - 6, sy(t) + 4);
  }
  g.fillStyle = fg;
  g.textAlign = 'center';
  g.fillText(`${p.xName} (${p.bx === 'min' ? 'lower' : 'higher'} is better)`, pad.l + (w - pad.l - pad.r) / 2, h - 8);
  g.save();
  g.translate(14, pad.t + (h - pad.t - pad.b) / 2);
  g.rotate(-Math.PI / 2);
  g.fillText(`${p.yName} (${p.by === 'min' ? 'lower' : 'higher'} is better)`, 0, 0);
  g.restore();
  const front = paretoFront(p.xs, p.ys, p.bx, p.by);
  const onFront = new Set(front);
  const points: PlotResult['points'] = [];
  g.fillStyle = accent;
  g.globalAlpha = 0.6;
  p.xs.forEach((x, i) => {
    if (!ok[i]) return;
    const px = sx(x!);
    const py = sy(p.ys[i]!);
    points.push({ i, px, py });
    if (onFront.has(i)) return;
    g.beginPath();
    g.arc(px, py, 3, 0, Math.PI * 2);
    g.fill();
  });
  g.globalAlpha = 1;
  g.strokeStyle = frontColour;
  g.lineWidth = 2;
  g.beginPath();
  front.forEach((i, k) => (k ? g.lineTo(sx(p.xs[i]!), sy(p.ys[i]!)) : g.moveTo(sx(p.xs[i]!), sy(p.ys[i]!))));
  g.stroke();
  g.fillStyle = frontColour;
  for (const i of front) {
    g.beginPath();
    g.arc(sx(p.xs[i]!), sy(p.ys[i]!), 5, 0, Math.PI * 2);
    g.fill();
  }
  if (front.length <= 20) {
    // Label front points, skipping a label that would overlap one already drawn.
    g.fillStyle = fg;
    g.textAlign = 'left';
    const placed: { x: number; y: number; w: number }[] = [];
    for (const i of front) {
      const x = sx(p.xs[i]!) + 8;
      const y = sy(p.ys[i]!) - 6;
      const w = g.measureText(p.labels[i]!).width;
      if (placed.some((b) => Math.abs(b.y - y) < 14 && x < b.x + b.w + 4 && b.x < x + w + 4)) continue;
      placed.push({ x, y, w });
      g.fillText(p.labels[i]!, Math.min(x, w_ - w - 4), y);
    }
  }
  if (p.highlight !== undefined && ok[p.highlight]) {
    g.strokeStyle = fg;
    g.lineWidth = 2;
    g.beginPath();
    g.arc(sx(p.xs[p.highlight]!), sy(p.ys[p.highlight]!), 8, 0, Math.PI * 2);
    g.stroke();
  }
  return { front, points };
}
