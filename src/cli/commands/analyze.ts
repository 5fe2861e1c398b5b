// `airlock analyze latency|tradeoff`: drop-in replacements for BloomBee's analyze_latency_breakdown.py
// and analyze_tradeoff_matrix.py (same flags, same text, same CSV, same numbers).
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../../core/fs/writeFileAtomic';
import { dirname } from 'node:path';
import type { CliCommand } from '../types';
import { notDirectoryFlag, outputFileFlag } from '../flags';
import { InputError, UsageError } from '../errors';
import { parseOptions } from '../parseOptions';
import { latencyBreakdown } from '../../core/analysis/latencyReport';
import { CaseSpecError, collectCaseMetrics, parseCaseSpec, tradeoffCsv } from '../../core/analysis/tradeoff';
import { renderTradeoffReport } from '../../core/analysis/tradeoffReport';
import { LogParseError, LogReadError } from '../../core/analysis/logStream';
import { pyPathStr } from '../../core/analysis/pyPath';

const usage = `Usage:
  airlock analyze latency  [--client-log F] [--server1-log F] [--server2-log F]
  airlock analyze tradeoff --case "name=N,client=F,server1=F,server2=F,compression=C,offload=O,batch=B,seq=S" [--case ...]
                           [--baseline NAME] [--output-csv PATH]
Same flags, text and numbers as BloomBee's analyze_latency_breakdown.py / analyze_tradeoff_matrix.py.`;

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  summary: 'latency breakdown and trade-off matrix from BloomBee logs',
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const parsed = parseOptions(
      {
        args: rest,
        options: {
          'client-log': { type: 'string', default: '/home/cc/inference_batch.log' },
          'server1-log': { type: 'string', default: '/home/cc/server1.log' },
          'server2-log': { type: 'string', default: '/home/cc/server2.log' },
          case: { type: 'string', multiple: true },
          baseline: { type: 'string', default: '' },
          'output-csv': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      },
      usage,
    );
    const v = parsed.values;
    if (v.help || sub === '--help' || sub === '-h') return (ctx.stdout.write(usage + '\n'), 0);
    try {
      for (const flag of ['client-log', 'server1-log', 'server2-log'] as const) notDirectoryFlag(`--${flag}`, v[flag]!);
      if (sub === 'latency') {
        ctx.stdout.write(await latencyBreakdown(v['client-log']!, v['server1-log']!, v['server2-log']!));
        return 0;
      }
      if (sub === 'tradeoff') {
        if (!v.case?.length) throw new UsageError(`tradeoff needs at least one --case\n${usage}`);
        // Checked before the logs are read: a directory here must not cost a full analysis first.
        const out = v['output-csv'] === undefined ? undefined : outputFileFlag('--output-csv', v['output-csv']);
        const rows = [];
        for (const spec of v.case) rows.push(await collectCaseMetrics(parseCaseSpec(spec)));
        if (out !== undefined) {
          await mkdir(dirname(out), { recursive: true });
          await writeFileAtomic(out, tradeoffCsv(rows));
        }
        ctx.stdout.write(renderTradeoffReport(rows, v.baseline!, out === undefined ? undefined : pyPathStr(out)));
        return 0;
      }
    } catch (err) {
      if (err instanceof LogReadError || err instanceof LogParseError || err instanceof CaseSpecError) throw new InputError(err.message);
      throw err;
    }
    throw new UsageError(`unknown subcommand "${sub ?? ''}"\n${usage}`);
  },
};
