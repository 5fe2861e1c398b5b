// `.airlock/airlock.json`: the protocol's defaults (what to bundle, where runs and the journal go),
// read through the one JSONC layer and checked against schemas/airlock.schema.json, so a problem
// reads `.airlock/airlock.json:4: bundle.paths[0] must NOT have fewer than 1 characters`.
import { getNodeValue } from 'jsonc-parser';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, parseJsonc, readProblem } from '../config/jsoncDoc';
import { checkSchema } from '../config/schemaCheck';
import airlockSchema from '../../../schemas/airlock.schema.json';

export interface AirlockConfig {
  bundlePaths: string[];
  unpackDir?: string;
  experiment?: string;
  journal: string;
  include: string[];
  /** Unknown keys: reported, not fatal. */
  warnings: ConfigError[];
}

export const airlockConfigFile = (workspace: string) => join(workspace, '.airlock', 'airlock.json');
export const defaultImportInclude = ['**/*.log', '**/*.json', '**/*.csv', '**/*.txt', '**/*.md', 'frozen_requirements.txt'];

export function parseAirlockConfig(text: string, file: string): AirlockConfig {
  const base: AirlockConfig = { bundlePaths: [], journal: 'journal.md', include: defaultImportInclude, warnings: [] };
  if (!text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '').trim()) return base;
  const { root, lineAt, errors } = parseJsonc(text, file);
  if (errors.length) throw errors[0]!;
  if (!root || root.type !== 'object') throw new ConfigError(file, 1, '', 'the file must contain a JSON object like { "bundle": { "paths": [...] } }');
  const found = checkSchema(airlockSchema, root, file, lineAt);
  if (found.errors.length) throw found.errors[0]!;
  const v = getNodeValue(root) as {
    bundle?: { paths?: string[]; unpackDir?: string };
    import?: { experiment?: string; journal?: string; include?: string[] };
  };
  return {
    bundlePaths: v.bundle?.paths ?? [],
    ...(v.bundle?.unpackDir ? { unpackDir: v.bundle.unpackDir } : {}),
    ...(v.import?.experiment ? { experiment: v.import.experiment } : {}),
    journal: v.import?.journal ?? 'journal.md',
    include: v.import?.include ?? defaultImportInclude,
    warnings: found.warnings,
  };
}

/** The workspace's settings; a missing file is the defaults. */
export async function loadAirlockConfig(workspace: string): Promise<AirlockConfig> {
  const file = airlockConfigFile(workspace);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw new ConfigError('.airlock/airlock.json', 1, '', `cannot be read (${readProblem(err)})`);
  });
  return parseAirlockConfig(text, '.airlock/airlock.json');
}
