import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { buildSchema, parse, validate, Kind, type OperationDefinitionNode } from 'graphql';
import { runpodDocuments } from '../../../src/core/pods/runpod/documents.generated';
import { generatedPath, readGraphqlFiles, renderDocumentsModule } from '../../../src/core/pods/runpod/generateDocuments';
import { committedSchemaPath, runpodSchemaPath, sharedSchemaPath } from '../../support/fakeRunpod/schema';

// The schema beside the repository (../shared) when present, else the committed copy.
const schema = buildSchema(readFileSync(runpodSchemaPath(), 'utf8'));

describe('RunPod GraphQL documents', () => {
  for (const [name, text] of Object.entries(runpodDocuments)) {
    test(`${name} validates against the recorded RunPod schema`, () => {
      const errors = validate(schema, parse(text));
      assert.deepEqual(
        errors.map((e) => e.message),
        [],
      );
    });
  }

  test('operations take their argument as `$input: XInput!` (RunPod input style)', () => {
    for (const [name, text] of Object.entries(runpodDocuments)) {
      const op = parse(text).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
      for (const v of op.variableDefinitions ?? []) {
        assert.equal(v.type.kind, Kind.NON_NULL_TYPE, `${name}: $${v.variable.name.value} must be non-null`);
      }
      const usesInput = (op.variableDefinitions ?? []).some((v) => v.variable.name.value === 'input');
      if (op.operation === 'mutation') assert.ok(usesInput, `${name}: mutations take $input`);
    }
  });

  test('every .graphql file is in the generated module and the module is fresh', () => {
    const files = readGraphqlFiles();
    const operations = files.filter((f) => !/^\s*(#.*\n\s*)*fragment\b/.test(f.text)).map((f) => f.name.replace(/\.graphql$/, ''));
    assert.deepEqual(Object.keys(runpodDocuments).sort(), operations.sort());
    assert.equal(
      readFileSync(generatedPath, 'utf8'),
      renderDocumentsModule(files),
      'documents.generated.ts is stale: run  node --import tsx src/core/pods/runpod/generateDocuments.ts',
    );
  });

  test('the committed schema copy matches ../shared (when the shared folder is there)', (t) => {
    if (!existsSync(sharedSchemaPath)) return t.skip('no ../shared beside the repository');
    assert.equal(
      readFileSync(committedSchemaPath, 'utf8'),
      readFileSync(sharedSchemaPath, 'utf8'),
      'copy ../shared/fixtures/runpod/schema.graphql to test/support/fakeRunpod/schema.graphql',
    );
  });

  test('a document the schema does not know is rejected (the check is not vacuous)', () => {
    const bad = parse('mutation X($input: PodStopInput!) { podStop(input: $input) { id nosuchField } }');
    assert.match(validate(schema, bad)[0]!.message, /Cannot query field "nosuchField" on type "Pod"/);
  });
});
