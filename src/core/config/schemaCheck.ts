// The JSON Schemas the editor contributes for our config files (schemas/*.json) are also what the
// command line checks: one definition of "valid", checked by ajv, each problem mapped back through
// the JSONC parse tree to `FILE:LINE: field problem`. Unknown keys are warnings (a typo must be
// seen, but the original tools ignored extra keys, so configs written for them still load);
// everything else the schema says is an error.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { findNodeAtLocation, getNodeValue, type Node } from 'jsonc-parser';
import { ConfigError, pathString, type JsonPath } from './jsoncDoc';

export interface SchemaFindings {
  errors: ConfigError[];
  warnings: ConfigError[];
}

const compiled = new WeakMap<object, ValidateFunction>();
let ajv: Ajv | undefined;

function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    // strict: false — the schemas carry editor-only keywords (markdownDescription, defaultSnippets).
    ajv ??= new Ajv({ allErrors: true, strict: false });
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** Checks the parsed document `root` of `file` against `schema`. */
export function checkSchema(schema: object, root: Node, file: string, lineAt: (offset: number) => number): SchemaFindings {
  const validate = validatorFor(schema);
  const findings: SchemaFindings = { errors: [], warnings: [] };
  if (validate(getNodeValue(root))) return findings;
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    // Sub-schemas of anyOf/oneOf/not report their own failures too; the combined one is enough.
    if (e.schemaPath.includes('/anyOf/') || e.schemaPath.includes('/oneOf/')) continue;
    const path = instancePath(e);
    const unknown = e.keyword === 'additionalProperties';
    const at = unknown ? [...path, String((e.params as { additionalProperty: string }).additionalProperty)] : path;
    const node = nearestNode(root, at);
    const line = lineAt(unknown ? (node?.parent?.offset ?? node?.offset ?? 0) : (node?.offset ?? 0));
    const err = new ConfigError(file, line, pathString(at), problem(e));
    if (seen.has(err.message)) continue;
    seen.add(err.message);
    (unknown ? findings.warnings : findings.errors).push(err);
  }
  return findings;
}

function instancePath(e: ErrorObject): JsonPath {
  if (!e.instancePath) return [];
  return e.instancePath
    .slice(1)
    .split('/')
    .map((s) => {
      const p = s.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(p) ? Number(p) : p;
    });
}

function nearestNode(root: Node, path: JsonPath): Node | undefined {
  for (let p = path; ; p = p.slice(0, -1)) {
    const n = p.length ? findNodeAtLocation(root, p) : root;
    if (n || !p.length) return n;
  }
}

function problem(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return 'is not a known field (ignored)';
    case 'required':
      return `needs "${String(p.missingProperty)}"`;
    case 'type':
      return `must be ${String(p.type).replace(/,/g, ' or ')}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'propertyNames':
      return 'has a key that is not allowed';
    case 'pattern':
      return `must match ${String(p.pattern)}`;
    default:
      return e.message ?? `fails the schema's ${e.keyword} rule`;
  }
}
