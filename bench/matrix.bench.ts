// The Matrix panel on what the analysis produces: what one scroll frame costs (script + style +
// layout of the rows it renders) with 10,000 rows against 100 rows, and against rendering every row
// (the same code with a viewport as tall as the table). Ratios measured in this one run, in the
// real webview bundle in headless Chromium; never asserted.
//   npm run build && npx tsx bench/matrix.bench.ts [rows]
// Live Logs at 1,000,000 lines: bench/logs.bench.ts (a 100-row window at 1M lines vs at 1k lines).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../test/support/browser';
import { repoRoot } from '../scripts/bundles.mjs';
import { tradeoffColumns } from '../src/core/analysis/tradeoff';

const big = Number(process.argv[2] ?? 10_000);
const js = readFileSync(join(repoRoot, 'dist/webview/matrix.js'), 'utf8');
const css = readFileSync(join(repoRoot, 'dist/webview/matrix.css'), 'utf8');

function table(n: number) {
  const rows = Array.from({ length: n }, (_, i) =>
    tradeoffColumns.map((c, k) =>
      c === 'name' ? `case_${i}` : c.endsWith('_log') ? `runs/case_${i}/${c}.log` : String(((i * 7919 + k * 104729) % 10007) / 7.3),
    ),
  );
  return { type: 'table', table: { title: 'tradeoff_matrix.csv', source: 'bench', header: [...tradeoffColumns], rows } };
}

/** Milliseconds per scroll frame: each rAF callback timed with the layout it forces. */
async function perFrame(rows: number, tallViewport: boolean): Promise<{ ms: number; dom: number }> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const tall = tallViewport
      ? `body { height: auto !important; overflow: visible !important; } .table { flex: none !important; height: ${rows * 24 + 100}px !important; }`
      : '';
    await page.setContent('<html><head></head><body></body></html>');
    await page.addStyleTag({ content: css + tall });
    // Before the bundle: the webview API it asks for, and every animation frame timed with the layout it forces.
    await page.addScriptTag({
      content: `
      window.frames_ = [];
      window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });
      const raf = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (cb) => raf((t) => {
        const t0 = performance.now();
        cb(t);
        void document.body.offsetHeight;
        window.frames_.push(performance.now() - t0);
      });`,
    });
    await page.addScriptTag({ content: js });
    await page.evaluate((msg) => (globalThis as unknown as { postMessage(m: unknown, o: string): void }).postMessage(msg, '*'), table(rows));
    await page.waitForFunction("document.querySelectorAll('.tr').length > 0", undefined, { timeout: 300_000 });
    const frames = tallViewport ? 8 : 40;
    // A string, not a function: tsx's helpers (__name) do not exist in the page.
    return (await page.evaluate(`(async () => {
      const body = document.querySelector('.table');
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      await sleep(200);
      window.frames_.length = 0;
      for (let k = 1; k <= ${frames}; k++) {
        body.scrollTop = k * 24 * 9;
        body.dispatchEvent(new Event('scroll'));
        await sleep(${tallViewport ? 300 : 30});
      }
      const f = [...window.frames_].sort((a, b) => a - b);
      return { ms: f[f.length >> 1] ?? NaN, dom: document.querySelectorAll('.tr').length };
    })()`)) as { ms: number; dom: number };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const small = await perFrame(100, false);
  const large = await perFrame(big, false);
  const all = await perFrame(big, true);
  const r = (a: number, b: number) => (a / b).toPrecision(2);
  console.log(`Matrix panel bench (median scroll frame, script + layout, headless Chromium)`);
  console.log(
    `frame  ${big.toLocaleString('en')} rows / 100 rows (virtualised)          ${r(large.ms, small.ms)}x   (${large.ms.toFixed(2)} ms vs ${small.ms.toFixed(2)} ms; ${large.dom} vs ${small.dom} rows in the DOM)`,
  );
  console.log(
    `frame  every row in the DOM / virtualised, ${big.toLocaleString('en')} rows  ${r(all.ms, large.ms)}x   (${all.ms.toFixed(1)} ms vs ${large.ms.toFixed(2)} ms; ${all.dom} rows in the DOM)`,
  );
}

void main();
