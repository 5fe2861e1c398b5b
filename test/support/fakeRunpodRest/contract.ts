// RunPod's REST v2 contract as executable checks: the OpenAPI document (../shared/fixtures beside the
// repository when present, else the committed copy the types are generated from) compiled by Ajv's
// JSON Schema 2020-12 validator (OpenAPI 3.1 schemas are 2020-12). The fake validates every request
// with it and asserts every answer it gives validates too.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export const repoRoot = resolve(__dirname, '..', '..', '..');
// ../shared beside a clone; ../../shared beside a worktree under wt/.
export const sharedOpenapiPath =
  [resolve(repoRoot, '..'), resolve(repoRoot, '..', '..')]
    .map((d) => resolve(d, 'shared', 'fixtures', 'runpod', 'rest_v2_openapi.json'))
    .find((p) => existsSync(p)) ?? resolve(repoRoot, '..', 'shared', 'fixtures', 'runpod', 'rest_v2_openapi.json');
export const committedOpenapiPath = resolve(repoRoot, 'src', 'core', 'pods', 'runpodRest', 'rest_v2_openapi.json');

export function openapiPath(): string {
  return existsSync(sharedOpenapiPath) ? sharedOpenapiPath : committedOpenapiPath;
}

interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Record<string, unknown>;
  $ref?: string;
}

export interface Operation {
  operationId: string;
  method: string;
  template: string;
  pattern: RegExp;
  pathNames: string[];
  params: Param[];
  body?: { required: boolean; pointer: string };
  responses: Record<string, { pointer?: string; contentType?: string }>;
}

type Json = Record<string, unknown>;

export class RestContract {
  readonly doc: Json;
  readonly operations: Operation[] = [];
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(path = openapiPath()) {
    this.doc = JSON.parse(readFileSync(path, 'utf8')) as Json;
    // strict off: the document carries vendor keywords (x-enum-varnames) and OpenAPI formats (float).
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    for (const f of ['float', 'double', 'int32', 'int64']) this.ajv.addFormat(f, true);
    this.ajv.addSchema(this.doc, 'openapi');
    const paths = this.doc.paths as Record<string, Record<string, Json>>;
    for (const [template, item] of Object.entries(paths)) {
      const shared = (item.parameters as unknown as Param[] | undefined) ?? [];
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters') continue;
        const params = [...shared, ...((op.parameters as Param[] | undefined) ?? [])].map((p) => this.deref(p) as Param);
        const pathNames: string[] = [];
        const pattern = new RegExp('^' + template.replace(/\{(\w+)\}/g, (_, n: string) => (pathNames.push(n), '([^/]+)')) + '$');
        const rb = op.requestBody as Json | undefined;
        const responses: Operation['responses'] = {};
        for (const [code, raw] of Object.entries((op.responses as Record<string, Json>) ?? {})) {
          const r = this.deref(raw) as Json;
          const content = r.content as Record<string, Json> | undefined;
          const contentType = content ? Object.keys(content)[0] : undefined;
          const schemaRef = contentType ? this.pointerFor(raw, code, template, method, contentType) : undefined;
          responses[code] = { pointer: schemaRef, contentType };
        }
        this.operations.push({
          operationId: op.operationId as string,
          method: method.toUpperCase(),
          template,
          pattern,
          pathNames,
          params,
          body: rb ? { required: !!rb.required, pointer: `openapi#/paths/${esc(template)}/${method}/requestBody/content/application~1json/schema` } : undefined,
          responses,
        });
      }
    }
  }

  /** The operation for a method and path, and the path parameters; a path with other methods gives `allowed`. */
  match(method: string, path: string): { op?: Operation; pathParams: Record<string, string>; allowed: string[] } {
    const allowed: string[] = [];
    for (const op of this.operations) {
      const m = op.pattern.exec(path);
      if (!m) continue;
      allowed.push(op.method);
      if (op.method === method) return { op, pathParams: Object.fromEntries(op.pathNames.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])), allowed };
    }
    return { pathParams: {}, allowed };
  }

  validate(pointer: string, value: unknown): string[] {
    let fn = this.cache.get(pointer);
    if (!fn) {
      fn = this.ajv.getSchema(pointer);
      if (!fn) throw new Error(`no schema at ${pointer}`);
      this.cache.set(pointer, fn);
    }
    return fn(value)
      ? []
      : (fn.errors ?? []).map(
          (e) =>
            `${e.instancePath || '$'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}${e.params && 'unevaluatedProperty' in e.params ? ` '${String(e.params.unevaluatedProperty)}'` : ''}`,
        );
  }

  /** Validates one parameter value (already decoded; arrays split) against its declared schema. */
  validateParam(p: Param, value: unknown): string[] {
    const key = `param:${JSON.stringify(p.schema)}`;
    let fn = this.cache.get(key);
    if (!fn) {
      fn = this.ajv.compile({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...resolveRefs(p.schema) });
      this.cache.set(key, fn);
    }
    return fn(value) ? [] : (fn.errors ?? []).map((e) => `${p.name}${e.instancePath}: ${e.message}`);
  }

  private deref(x: unknown): unknown {
    let v = x as Json;
    while (v && typeof v.$ref === 'string') v = this.at((v.$ref as string).slice(2));
    return v;
  }

  private at(pointer: string): Json {
    return pointer.split('/').reduce<Json>((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')] as Json, this.doc);
  }

  private pointerFor(raw: Json, code: string, template: string, method: string, contentType: string): string {
    const ct = contentType.replace(/\//g, '~1');
    if (typeof raw.$ref === 'string') return `openapi${raw.$ref}/content/${ct}/schema`;
    return `openapi#/paths/${esc(template)}/${method}/responses/${code}/content/${ct}/schema`;
  }
}

function esc(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

// Parameter schemas refer to component schemas: point those refs into the registered document.
function resolveRefs(schema: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema), (k, v) => (k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi${v}` : v));
}
