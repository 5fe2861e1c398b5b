// Turns graphql/*.graphql into documents.generated.ts, the module the provider imports.
//
// Why generated and not an esbuild text loader: the same code runs bundled (dist/cli.js,
// dist/extension.js) AND unbundled under tsx (unit/integration tests, `node --import tsx
// src/cli/main.ts`). tsx cannot import `.graphql`, and a require hook only works where someone
// installed it. A plain TypeScript module of strings works in every runtime with no setup.
// The .graphql files stay the source of truth (editor highlighting, schema validation);
// test/unit/pods/graphqlDocuments.unit.test.ts fails when the generated module is stale.
//
// Regenerate:  node --import tsx src/core/pods/runpod/generateDocuments.ts
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, print, visit, type DefinitionNode } from 'graphql';

export const graphqlDir = join(__dirname, 'graphql');
export const generatedPath = join(__dirname, 'documents.generated.ts');

export interface GraphqlFile {
  name: string;
  text: string;
}

export function readGraphqlFiles(dir = graphqlDir): GraphqlFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
}

/** Each operation file becomes one document: the operation plus every fragment it spreads (transitively). */
export function assembleDocuments(files: readonly GraphqlFile[]): Record<string, string> {
  const fragments = new Map<string, { text: string; spreads: string[] }>();
  const operations: Array<{ name: string; text: string; spreads: string[] }> = [];
  for (const f of files) {
    const doc = parse(f.text);
    const defs = doc.definitions as readonly DefinitionNode[];
    if (defs.length !== 1) throw new Error(`${f.name}: one operation or fragment per file (found ${defs.length})`);
    const def = defs[0]!;
    const spreads: string[] = [];
    visit(doc, { FragmentSpread: (n) => void spreads.push(n.name.value) });
    // print() drops the comments: they explain the file, RunPod need not receive them.
    const text = print(doc) + '\n';
    if (def.kind === 'FragmentDefinition') fragments.set(def.name.value, { text, spreads });
    else if (def.kind === 'OperationDefinition') {
      const name = def.name?.value;
      if (!name || `${name}.graphql` !== f.name) throw new Error(`${f.name}: the operation must be named after its file`);
      operations.push({ name, text, spreads });
    } else throw new Error(`${f.name}: unexpected ${def.kind}`);
  }
  const out: Record<string, string> = {};
  for (const op of operations) {
    const needed: string[] = [];
    const add = (name: string) => {
      if (needed.includes(name)) return;
      const frag = fragments.get(name);
      if (!frag) throw new Error(`${op.name}.graphql spreads unknown fragment ${name}`);
      needed.push(name);
      frag.spreads.forEach(add);
    };
    op.spreads.forEach(add);
    out[op.name] = [op.text, ...needed.map((n) => fragments.get(n)!.text)].join('\n');
  }
  return out;
}

export function renderDocumentsModule(files: readonly GraphqlFile[]): string {
  const docs = assembleDocuments(files);
  const body = Object.entries(docs)
    .map(([name, text]) => `  ${name}: ${JSON.stringify(text)},`)
    .join('\n');
  return (
    '// GENERATED from graphql/*.graphql by generateDocuments.ts — do not edit by hand.\n' +
    '// Regenerate: node --import tsx src/core/pods/runpod/generateDocuments.ts\n' +
    `export const runpodDocuments = {\n${body}\n} as const;\n\n` +
    'export type RunpodOperation = keyof typeof runpodDocuments;\n'
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(__filename)) {
  writeFileSync(generatedPath, renderDocumentsModule(readGraphqlFiles()));
  process.stdout.write(`wrote ${generatedPath}\n`);
}
