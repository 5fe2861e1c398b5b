// One measured process of bench/analysis.bench.ts (bundled by it, run with plain node): the new
// analysis or the frozen previous one (test/support/analysisOracle), as `analyze latency`,
// `analyze tradeoff` or the collect step over several case dirs. Output goes to a file, as the
// CLI's would; the process's peak RSS is printed on stderr as JSON.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as newLatency from '../../src/core/analysis/latencyReport';
import * as newTradeoff from '../../src/core/analysis/tradeoff';
import { analyzeCollected } from '../../src/core/analysis/collectAnalysis';
import * as oldLatency from '../../test/support/analysisOracle/latencyReport';
import * as oldTradeoff from '../../test/support/analysisOracle/tradeoff';

const [impl, what, out, ...dirs] = process.argv.slice(2) as [string, string, string, ...string[]];
const logs = (d: string) => [join(d, 'inference.log'), join(d, 'server1.log'), join(d, 'server2.log')] as const;
const spec = (d: string) =>
  `name=${d.split('/').pop()},client=${logs(d)[0]},server1=${logs(d)[1]},server2=${logs(d)[2]},compression=1,offload=0,batch=84,seq=512`;
const L = impl === 'new' ? newLatency : oldLatency;
const T = impl === 'new' ? newTradeoff : oldTradeoff;

async function main(): Promise<void> {
  if (what === 'latency') writeFileSync(out, await L.latencyBreakdown(...logs(dirs[0]!)));
  else if (what === 'tradeoff') {
    const rows = [];
    for (const d of dirs) rows.push(await T.collectCaseMetrics(T.parseCaseSpec(spec(d))));
    writeFileSync(out, T.tradeoffCsv(rows as never));
  } else if (impl === 'new') {
    const res = await analyzeCollected(dirs.map((d) => ({ clientLog: logs(d)[0], server1Log: logs(d)[1], server2Log: logs(d)[2], spec: spec(d) })));
    res.forEach((r, i) => writeFileSync(`${out}.${i}.txt`, 'text' in r.latency ? r.latency.text : r.latency.error));
    writeFileSync(out, newTradeoff.tradeoffCsv(res.map((r) => ('row' in r.tradeoff ? r.tradeoff.row : undefined)).filter((r) => r !== undefined)));
  } else {
    // The previous collect: a latency breakdown per case, then the trade-off reading every log again.
    for (const [i, d] of dirs.entries()) writeFileSync(`${out}.${i}.txt`, await oldLatency.latencyBreakdown(...logs(d)));
    const rows = [];
    for (const d of dirs) rows.push(await oldTradeoff.collectCaseMetrics(oldTradeoff.parseCaseSpec(spec(d))));
    writeFileSync(out, oldTradeoff.tradeoffCsv(rows));
  }
  process.stderr.write(`${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}

void main();
