// The journal entry `airlock import` appends to journal.md: what ran, where, which code, when, what
// it cost, the exact packages (pip freeze) and where its checkpoints are. Entries are appended
// between markers; nothing already in the file — above all what a person wrote — is rewritten.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import type { Provenance } from '../provenance/provenance';
import { provenanceLine } from '../provenance/provenance';
import type { CheckpointLocation } from './syncState';

export interface JournalFacts {
  run: string;
  experiment: string;
  /** "phase entry `lr3.json` of `lr`", "host directory gpu-1:~/work/v68" … */
  what: string;
  host?: string;
  gpu?: string;
  tier?: string;
  provenance?: Provenance;
  startedAt?: string;
  endedAt?: string;
  costUsd?: number;
  /** Repo-relative folder the run's files were brought to. */
  resultsDir: string;
  files: number;
  pipFreeze?: { text: string; source: string };
  checkpoints: CheckpointLocation[];
  importedAt: Date;
}

export const entryStart = (run: string) => `<!-- airlock:run ${run} -->`;
export const entryEnd = (run: string) => `<!-- /airlock:run ${run} -->`;

const fence = (text: string) => {
  // A fence longer than any backtick run inside, so a hostile package name cannot close it.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
};
const inline = (s: string) => `\`${s.replace(/`/g, "'").replace(/\s+/g, ' ')}\``;

export function renderJournalEntry(f: JournalFacts, reimport: boolean): string {
  const p = f.provenance;
  const lines = [
    entryStart(f.run),
    `## Run ${f.run}${reimport ? ' (imported again)' : ''} — ${f.importedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    '',
    `- **What**: ${f.what} (experiment ${inline(f.experiment)})`,
    `- **Where**: ${[f.host ? `host ${inline(f.host)}` : 'host unknown', f.gpu ? `GPU ${inline(f.gpu)}` : 'no GPU reported', f.tier ? `tier ${inline(f.tier)}` : undefined].filter(Boolean).join(' · ')}`,
    `- **Code**: ${p ? `${inline(provenanceLine(p))}${p.commit ? ` (commit ${inline(p.commit)}${p.bundleSha256 ? `, bundle sha256 ${inline(p.bundleSha256)}` : ''})` : ''}${p.dirty ? ' — **started from a dirty tree**' : ''}` : 'not recorded'}`,
    `- **Started / ended**: ${f.startedAt ?? '?'} → ${f.endedAt ?? '?'}`,
    ...(f.costUsd !== undefined ? [`- **Cost**: $${f.costUsd.toFixed(2)}`] : []),
    `- **Results**: ${inline(f.resultsDir + '/')} (${f.files} file${f.files === 1 ? '' : 's'})`,
    `- **Checkpoints**: ${f.checkpoints.length ? `${f.checkpoints.length} recorded by the checkpoint sync` : 'none recorded (no .airlock/sync-state.json on the machine)'}`,
    ...f.checkpoints.map(
      (c) =>
        `  - ${inline(c.path)}${c.sha256 ? ` sha256 ${inline(c.sha256.slice(0, 16))}` : ''}: ${c.tiers.length ? c.tiers.map(inline).join(', ') : 'local only'}`,
    ),
  ];
  if (f.pipFreeze) {
    const n = f.pipFreeze.text.split('\n').filter((l) => l.trim() && !l.startsWith('#')).length;
    const fb = fence(f.pipFreeze.text);
    lines.push(
      `- **Packages**: ${n} from ${f.pipFreeze.source} (also in ${inline(f.resultsDir + '/frozen_requirements.txt')})`,
      '',
      `<details><summary>pip freeze</summary>`,
      '',
      fb,
      f.pipFreeze.text.replace(/\s+$/, ''),
      fb,
      '',
      '</details>',
    );
  } else lines.push('- **Packages**: pip freeze could not be captured on the machine');
  lines.push('', entryEnd(f.run), '');
  return lines.join('\n');
}

/**
 * Appends the entry to the journal (created with a title if missing). The existing text is kept
 * byte for byte: the new file is the old one plus a separating newline and the entry.
 */
export async function appendJournalEntry(journalPath: string, f: JournalFacts): Promise<{ reimport: boolean; entry: string }> {
  const old = await readFile(journalPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  const reimport = old?.includes(entryStart(f.run)) ?? false;
  const entry = renderJournalEntry(f, reimport);
  const base = old ?? '# Journal\n';
  const sep = base.endsWith('\n\n') ? '' : base.endsWith('\n') ? '\n' : '\n\n';
  await writeFileAtomic(journalPath, base + sep + entry);
  return { reimport, entry };
}
