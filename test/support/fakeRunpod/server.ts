// A faithful fake of RunPod's GraphQL API on 127.0.0.1: the recorded schema (buildSchema),
// validation like the real service (HTTP 400 GRAPHQL_VALIDATION_FAILED), 401 on a bad key,
// 429 with Retry-After, SUPPLY_CONSTRAINT / RUNPOD errors and the pod lifecycle of state.ts.
// Point the real client (graphql-request) at `endpoint`; never mock the client.
//
//   const fake = await startFakeRunpod({ apiKey: 'rp_test' });
//   fake.control.setStock('NVIDIA GeForce RTX 4090', 'SECURE', 0);
//   ...; assert.deepEqual(fake.control.livePods(), []); await fake.close();
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphql, parse, validate, GraphQLError, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { FakeGpuType } from './catalog';
import { FakeRunpodControl } from './control';
import { rootResolvers } from './resolvers';
import { runpodSchema } from './schema';
import { FakeRunpodState, type LifecycleOptions } from './state';
import { FakeRunpodRest, createRestHandler } from '../fakeRunpodRest/server';

export interface FakeRunpodOptions extends LifecycleOptions {
  /** The only key accepted (Bearer header or legacy ?api_key=). Default `rp_fake_key`. */
  apiKey?: string;
  port?: number;
  host?: string;
  catalog?: FakeGpuType[];
  stockPerCloud?: number;
}

export interface RecordedRequest {
  /** Absent on GraphQL requests; 'rest' on REST v2 ones (which also record method, path, query, body). */
  api?: 'rest';
  operationName?: string;
  userAgent?: string;
  /** true when the request carried the right key. */
  authorized: boolean;
  status: number;
  /** Date.now() on arrival (lets a test check that the client waited out Retry-After). */
  at: number;
  variables?: Record<string, unknown>;
  method?: string;
  path?: string;
  query?: Record<string, string>;
  body?: unknown;
  lastEventId?: string;
}

export interface FakeRunpod {
  /** GraphQL endpoint to give the client, e.g. http://127.0.0.1:PORT/graphql. */
  endpoint: string;
  /** REST v2 base URL (paths /v2/…) on the same server and state, e.g. http://127.0.0.1:PORT. */
  restEndpoint: string;
  /** REST-only switches and checks (logs, failing images, contract violations). */
  rest: FakeRunpodRest;
  apiKey: string;
  control: FakeRunpodControl;
  state: FakeRunpodState;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeRunpod(o: FakeRunpodOptions = {}): Promise<FakeRunpod> {
  const apiKey = o.apiKey ?? 'rp_fake_key';
  const state = new FakeRunpodState(o);
  const control = new FakeRunpodControl(state, apiKey);
  const requests: RecordedRequest[] = [];
  const rest = new FakeRunpodRest();
  const handleRest = createRestHandler(state, control, rest, requests);
  const schema = runpodSchema();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const rootValue = rootResolvers(
    state,
    async (field) => {
      const ms = control.delayMs.get(field);
      if (ms) await sleep(ms);
      control.takeFailure(field);
    },
    async (field) => {
      const ms = control.latencyMs.get(field);
      if (ms) await sleep(ms);
    },
  );

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { errors: [{ message: String(err), extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    if (url.pathname.startsWith('/v2/')) return handleRest(req, res, body);
    if (url.pathname === '/__control') {
      if (req.method === 'GET') return send(res, 200, { pods: control.livePods() });
      try {
        const action = JSON.parse(body || '{}') as Record<string, never>;
        // REST-only switches (logs, failing images) for the demo and the extension-host tests.
        if (action.action === 'emitLog') return send(res, 200, { ok: true, result: rest.logs.emit(action.podId, action.line, action.source ?? 'container') });
        if (action.action === 'failImage') return send(res, 200, { ok: true, result: rest.failImage(action.image) ?? null });
        if (action.action === 'dropLogStreams') return send(res, 200, { ok: true, result: rest.dropLogStreams(action.afterEvents, action.times) ?? null });
        return send(res, 200, { ok: true, result: control.apply(action) ?? null });
      } catch (err) {
        return send(res, 400, { ok: false, error: (err as Error).message });
      }
    }
    const record: RecordedRequest = { userAgent: req.headers['user-agent'], authorized: false, status: 0, at: Date.now() };
    requests.push(record);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      send(res, status, payload, headers);
    };
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    record.authorized = (bearer ?? url.searchParams.get('api_key')) === control.apiKey;
    if (!record.authorized) return reply(401, { errors: [{ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } }] });
    // A request inside the announced window is refused again, as RunPod's limiter does (50 ms of
    // slack for timer granularity): a client that ignores Retry-After shows up as earlyRequests.
    if (Date.now() < control.limitedUntil - 50) {
      control.earlyRequests++;
      return reply(
        429,
        { errors: [{ message: 'Too Many Requests', extensions: { code: 'RATE_LIMITED' } }] },
        { 'Retry-After': String(Math.ceil((control.limitedUntil - Date.now()) / 1000)) },
      );
    }
    if (control.rateLimitLeft > 0) {
      control.rateLimitLeft--;
      control.limitedUntil = Date.now() + control.retryAfterSec * 1000;
      return reply(429, { errors: [{ message: 'Too Many Requests', extensions: { code: 'RATE_LIMITED' } }] }, { 'Retry-After': String(control.retryAfterSec) });
    }
    if (control.httpFailure && control.httpFailure.left > 0) {
      control.httpFailure.left--;
      return reply(control.httpFailure.status, { errors: [{ message: 'Bad Gateway' }] });
    }
    if (req.method !== 'POST') return reply(405, { errors: [{ message: 'POST a GraphQL request' }] });
    let payload: { query?: string; variables?: Record<string, unknown>; operationName?: string };
    try {
      payload = JSON.parse(body);
    } catch {
      return reply(400, { errors: [{ message: 'Body is not JSON', extensions: { code: 'BAD_REQUEST' } }] });
    }
    record.operationName = payload.operationName;
    record.variables = payload.variables;
    let doc: DocumentNode;
    try {
      doc = parse(payload.query ?? '');
    } catch (err) {
      return reply(400, { errors: [formatError(err as GraphQLError, 'GRAPHQL_PARSE_FAILED')] });
    }
    record.operationName ??= (doc.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode | undefined)?.name?.value;
    const invalid = validate(schema, doc);
    if (invalid.length) return reply(400, { errors: invalid.map((e) => formatError(e, 'GRAPHQL_VALIDATION_FAILED')) });
    const result = await graphql({ schema, source: payload.query!, rootValue, variableValues: payload.variables, operationName: payload.operationName });
    // Variables that do not fit their declared types never reach a resolver: RunPod answers 400.
    if (!('data' in result) || result.data === undefined) return reply(400, { errors: (result.errors ?? []).map((e) => formatError(e, 'BAD_USER_INPUT')) });
    return reply(200, { data: result.data, ...(result.errors?.length ? { errors: result.errors.map((e) => formatError(e, 'INTERNAL_SERVER_ERROR')) } : {}) });
  }

  await new Promise<void>((resolve) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${o.host ?? '127.0.0.1'}:${port}/graphql`,
    restEndpoint: `http://${o.host ?? '127.0.0.1'}:${port}`,
    rest,
    apiKey,
    control,
    state,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function formatError(e: GraphQLError, defaultCode: string) {
  const json = e.toJSON();
  return { ...json, extensions: { ...json.extensions, code: json.extensions?.code ?? defaultCode } };
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(payload));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
