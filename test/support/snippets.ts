// The snippets the extension contributes, read as VS Code would insert them with every placeholder
// left at its default: `${1:x}` → x, `${1|a,b|}` → a, `$0` → nothing.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../..');

export type Snippets = Record<string, { prefix: string; description?: string; body: string[] }>;

export function readSnippets(file: string): Snippets {
  return JSON.parse(readFileSync(join(repoRoot, 'snippets', file), 'utf8')) as Snippets;
}

export const fillPlaceholders = (line: string): string =>
  line
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');

/** The snippet with the given prefix, as inserted with its defaults. */
export function snippetText(file: string, prefix: string): string {
  const s = Object.values(readSnippets(file)).find((x) => x.prefix === prefix);
  if (!s) throw new Error(`no snippet ${prefix} in snippets/${file}`);
  return s.body.map(fillPlaceholders).join('\n');
}
