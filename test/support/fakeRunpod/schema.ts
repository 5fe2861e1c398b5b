// The fake and the document test use RunPod's recorded schema. The source of truth is
// ../shared/fixtures/runpod/schema.graphql beside the repository; a committed copy
// (schema.graphql here) keeps the repository self-contained when ../shared is absent, and
// test/unit/pods/graphqlDocuments.unit.test.ts fails when the two drift apart.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSchema, type GraphQLSchema } from 'graphql';

export const repoRoot = resolve(__dirname, '..', '..', '..');
// ../shared beside a clone; ../../shared beside a worktree under wt/.
export const sharedSchemaPath =
  [resolve(repoRoot, '..'), resolve(repoRoot, '..', '..')]
    .map((d) => resolve(d, 'shared', 'fixtures', 'runpod', 'schema.graphql'))
    .find((p) => existsSync(p)) ?? resolve(repoRoot, '..', 'shared', 'fixtures', 'runpod', 'schema.graphql');
export const committedSchemaPath = join(__dirname, 'schema.graphql');

export function runpodSchemaPath(): string {
  return existsSync(sharedSchemaPath) ? sharedSchemaPath : committedSchemaPath;
}

export function loadRunpodSdl(): string {
  return readFileSync(runpodSchemaPath(), 'utf8');
}

let cached: GraphQLSchema | undefined;
export function runpodSchema(): GraphQLSchema {
  cached ??= buildSchema(loadRunpodSdl());
  return cached;
}
