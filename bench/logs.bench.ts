// Live Logs under a flood: prints ratios measured in this one run (never asserted).
//   npx tsx bench/logs.bench.ts [lines]
// - append: LogStore (chunked ring, caps, batching) vs pushing the same strings into a plain array
// - filter: first scan, and the incremental rescan after 1,000 new lines, vs a plain regex loop
// - window: what one scroll costs (the panel asks for ~100 rows) at 1M lines vs at 1k lines
// - memory: heap held by 1M lines with a 200k-line cap vs without a cap
import { LogStore } from '../src/core/logs/logStore';

const total = Number(process.argv[2] ?? 1_000_000);
const lines = Array.from({ length: total }, (_, i) => `\x1b[32mstep ${i}\x1b[0m loss=${(1000 / (i + 1)).toFixed(4)}${i % 997 === 0 ? ' WARN slow batch' : ''}`);
const q = { text: 'warn', regex: false, caseSensitive: false };

function time(fn: () => void, repeat = 1): number {
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) fn();
  return (performance.now() - t0) / repeat;
}
const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => (gc?.(), process.memoryUsage().heapUsed);

const plain: string[] = [];
const tPlain = time(() => {
  for (const l of lines) plain.push(l);
});
const store = new LogStore({ maxLinesPerStream: total, batchMs: 1e9 });
const id = store.create({ title: 'bench', source: 'local', kind: 'command' });
const tStore = time(() => {
  for (let i = 0; i < total; i += 1000) store.append(id, lines.slice(i, i + 1000));
});

const tPlainFilter = time(() => plain.filter((l) => l.toLowerCase().includes('warn')));
const tFirst = time(() => store.filter(id, q));
store.append(id, lines.slice(0, 1000));
const tIncr = time(() => store.filter(id, q));

const small = new LogStore({ batchMs: 1e9 });
const sid = small.create({ title: 'small', source: 'local', kind: 'command' });
small.append(sid, lines.slice(0, 1000));
const tWinSmall = time(() => small.range(sid, 400, 500), 2000);
const tWinBig = time(() => store.range(id, total - 50_000, total - 49_900), 2000);

store.dispose();
small.dispose();
plain.length = 0;
const base = heap();
const uncapped = new LogStore({ maxLinesPerStream: total, batchMs: 1e9 });
const u = uncapped.create({ title: 'u', source: 'local', kind: 'command' });
for (let i = 0; i < total; i += 1000)
  uncapped.append(
    u,
    lines.slice(i, i + 1000).map((l) => l + ' '),
  );
const heapUncapped = heap() - base;
uncapped.dispose();
uncapped.remove(u);
const base2 = heap();
const capped = new LogStore({ maxLinesPerStream: 200_000, batchMs: 1e9 });
const c = capped.create({ title: 'c', source: 'local', kind: 'command' });
for (let i = 0; i < total; i += 1000)
  capped.append(
    c,
    lines.slice(i, i + 1000).map((l) => l + ' '),
  );
const heapCapped = heap() - base2;
capped.dispose();

const r = (a: number, b: number) => (a / b).toPrecision(2);
console.log(`Live Logs bench, ${total.toLocaleString('en')} lines${gc ? '' : ' (run with node --expose-gc for steadier memory numbers)'}`);
console.log(`append  LogStore / plain array push        ${r(tStore, tPlain)}x   (${tStore.toFixed(0)} ms vs ${tPlain.toFixed(0)} ms)`);
console.log(`filter  first scan / plain regex loop      ${r(tFirst, tPlainFilter)}x   (${tFirst.toFixed(0)} ms vs ${tPlainFilter.toFixed(0)} ms)`);
console.log(`filter  after +1,000 lines / first scan    ${r(tIncr, tFirst)}x   (incremental: only new lines are scanned)`);
console.log(
  `window  100 rows at ${total.toLocaleString('en')} lines / at 1,000 lines  ${r(tWinBig, tWinSmall)}x   (a scroll costs the same however long the log)`,
);
console.log(
  `memory  200k-line cap / uncapped           ${r(heapCapped, heapUncapped)}x   (${(heapCapped / 2 ** 20).toFixed(0)} MiB vs ${(heapUncapped / 2 ** 20).toFixed(0)} MiB)`,
);
