// A faithful fake of RunPod's REST API v2 (rest_v2_openapi.json), mounted at /v2 on the GraphQL fake's
// server so both APIs share one world (the same state.ts, control.ts). Every request is validated
// against the document — method, path, path/query/header parameters, body schema, Bearer auth — and
// every JSON answer is checked against the declared response schema (a mismatch is recorded in
// `violations`, which the tests assert empty, and answered 500). Failures follow the document:
// problem+json bodies, 401/403/404/409/422, 429 with Retry-After, 5xx, 400 "could not be placed".
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeRunpodControl } from '../fakeRunpod/control';
import type { FakeRunpodState, FakePod } from '../fakeRunpod/state';
import { RestContract, type Operation } from './contract';
import { FakePodLogs } from './logs';
import { gpuTypeJson, podJson, restStatus, type Json } from './views';

export interface RestRecordedRequest {
  api: 'rest';
  operationName: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  userAgent?: string;
  lastEventId?: string;
  authorized: boolean;
  status: number;
  at: number;
}

/** REST-only switches (the shared ones — stock, 429, 5xx, latency — live on FakeRunpodControl). */
export class FakeRunpodRest {
  readonly logs = new FakePodLogs();
  /** Contract breaches by the fake's own answers; a test that sees one found a fake bug. */
  readonly violations: string[] = [];
  /** Close each log stream after this many events (a dropped connection), `logDropsLeft` times. */
  logDropAfter = 0;
  logDropsLeft = 0;
  /** Billed $ per pod before the fake's own uptime accounting (GET /v2/billing/pods). */
  readonly billed = new Map<string, number>();

  failImage(
    image: string,
    message = `Error response from daemon: pull access denied for ${image.split(':')[0]}, repository does not exist or may require 'docker login'`,
  ): void {
    this.logs.failingImages.set(image, message);
  }

  dropLogStreams(afterEvents: number, times = 1): void {
    this.logDropAfter = afterEvents;
    this.logDropsLeft = times;
  }
}

// GraphQL root fields the shared failure/latency switches name, per REST operation.
function fieldFor(operationId: string, body: unknown): string {
  switch (operationId) {
    case 'createPod':
      return 'podFindAndDeployOnDemand';
    case 'getPod':
      return 'pod';
    case 'listPods':
      return 'myself';
    case 'deletePod':
      return 'podTerminate';
    case 'listGpuTypes':
      return 'gpuTypes';
    case 'podAction': {
      const a = (body as { action?: string } | undefined)?.action;
      return a === 'stop' ? 'podStop' : a === 'start' ? 'podResume' : a === 'terminate' ? 'podTerminate' : `pod:${a}`;
    }
    default:
      return operationId;
  }
}

class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: string[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export function createRestHandler(state: FakeRunpodState, control: FakeRunpodControl, rest: FakeRunpodRest, requests: unknown[]) {
  const contract = new RestContract();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const failing = (p: FakePod) => rest.logs.failingImages.has(p.imageName);
  const view = (p: FakePod) => {
    rest.logs.sync(p);
    return podJson(state, p, failing(p));
  };

  return async function handleRest(req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const record: RestRecordedRequest = {
      api: 'rest',
      operationName: '',
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      userAgent: req.headers['user-agent'],
      authorized: false,
      status: 0,
      at: Date.now(),
      lastEventId: req.headers['last-event-id'] as string | undefined,
    };
    requests.push(record);
    let op: Operation | undefined;
    const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const spec = op?.responses[String(status)] ?? op?.responses.default;
      if (payload !== undefined && spec?.pointer) {
        const errors = contract.validate(spec.pointer, payload);
        if (errors.length) {
          rest.violations.push(`${op!.operationId} ${status}: ${errors.join('; ')}`);
          status = 500;
          payload = { title: 'Fake contract violation', status: 500, detail: errors.join('; ') };
        }
      } else if (op && !spec) rest.violations.push(`${op.operationId}: status ${status} is not in the document`);
      const type = status >= 400 ? 'application/problem+json' : 'application/json';
      res.writeHead(status, { ...(payload !== undefined ? { 'Content-Type': type } : {}), 'RateLimit-Policy': '"minute";q=60;w=60', ...headers });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    try {
      const m = contract.match(record.method, url.pathname);
      op = m.op;
      if (!op) {
        if (m.allowed.length)
          throw new Problem(405, 'Method Not Allowed', 'The requested method is not allowed for this path.', undefined, { Allow: m.allowed.join(', ') });
        throw new Problem(404, 'Not Found', `no route ${url.pathname}`);
      }
      record.operationName = op.operationId;
      const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      record.authorized = bearer === control.apiKey;
      if (!bearer) throw new Problem(401, 'Unauthorized', 'missing bearer token');
      if (!record.authorized) throw new Problem(401, 'Unauthorized', 'invalid api key');
      // As the GraphQL fake: a request inside the announced window is refused again and counted.
      if (Date.now() < control.limitedUntil - 50) {
        control.earlyRequests++;
        throw new Problem(429, 'Too Many Requests', 'rate limit exceeded for the minute window', undefined, {
          'Retry-After': String(Math.ceil((control.limitedUntil - Date.now()) / 1000)),
        });
      }
      if (control.rateLimitLeft > 0) {
        control.rateLimitLeft--;
        control.limitedUntil = Date.now() + control.retryAfterSec * 1000;
        throw new Problem(429, 'Too Many Requests', 'rate limit exceeded for the minute window', undefined, { 'Retry-After': String(control.retryAfterSec) });
      }
      if (control.httpFailure && control.httpFailure.left > 0) {
        control.httpFailure.left--;
        throw new Problem(control.httpFailure.status, 'Bad Gateway', 'upstream failure');
      }
      const query = parseQuery(contract, op, url.searchParams);
      const header = parseHeaders(contract, op, req);
      let body: unknown;
      if (op.body) {
        if (!rawBody && op.body.required) throw new Problem(400, 'Bad Request', 'request body is required');
        try {
          body = rawBody ? JSON.parse(rawBody) : undefined;
        } catch {
          throw new Problem(400, 'Bad Request', 'request body is not JSON');
        }
        record.body = body;
        const errors = body === undefined ? [] : contract.validate(op.body.pointer, body);
        if (errors.length) throw new Problem(422, 'Unprocessable Entity', 'Request validation failed.', errors);
      } else if (rawBody) throw new Problem(400, 'Bad Request', `${op.operationId} takes no body`);
      const field = fieldFor(op.operationId, body);
      const before = control.delayMs.get(field);
      if (before) await sleep(before);
      try {
        control.takeFailure(field);
      } catch (err) {
        const code = (err as { extensions?: { code?: string } }).extensions?.code;
        throw new Problem(
          code === 'INTERNAL_SERVER_ERROR' ? 500 : 400,
          code === 'INTERNAL_SERVER_ERROR' ? 'Internal Server Error' : 'Bad Request',
          (err as Error).message,
        );
      }
      const id = m.pathParams.id;
      const pod = () => {
        const p = id ? state.pods.get(id) : undefined;
        if (!p) throw new Problem(404, 'Not Found', 'pod not found');
        return p;
      };
      let status = 200;
      let payload: unknown;
      switch (op.operationId) {
        case 'listGpuTypes': {
          const include = (query.include as string[] | undefined) ?? [];
          const product = query.product as string[] | undefined;
          if (include.includes('AVAILABILITY') !== !!product)
            throw new Problem(400, 'Bad Request', 'product is required with include=AVAILABILITY, and valid only with it');
          if (!include.length && (query.count !== undefined || query.cloud !== undefined))
            throw new Problem(400, 'Bad Request', 'count and cloud are valid only with include=AVAILABILITY');
          const avail = include.length
            ? { cloud: (query.cloud as 'SECURE' | 'COMMUNITY' | undefined) ?? 'SECURE', count: (query.count as number | undefined) ?? 1 }
            : undefined;
          payload = { gpus: state.catalog.map((t) => gpuTypeJson(state, t, avail)) };
          break;
        }
        case 'listPods':
          payload = { pods: [...state.pods.values()].map((p) => (state.touch(p, false), view(p))) };
          break;
        case 'getPod': {
          const p = pod();
          state.touch(p, true);
          payload = view(p);
          break;
        }
        case 'createPod':
          payload = view(createPod(state, rest, body as Json));
          status = 201;
          break;
        case 'updatePod': {
          const p = pod();
          const b = body as Json;
          if (typeof b.name === 'string') p.name = b.name;
          payload = view(p);
          break;
        }
        case 'deletePod':
          pod();
          state.terminate(id!);
          rest.logs.forget(id!);
          status = 204;
          break;
        case 'podAction': {
          const p = pod();
          const action = (body as { action: string }).action;
          const current = restStatus(p, failing(p));
          const allowed = (view(p).actions as string[]) ?? [];
          if (!allowed.includes(action)) throw new Problem(409, 'Conflict', `cannot ${action} a pod in status ${current}`);
          if (action === 'terminate') {
            state.terminate(p.id);
            rest.logs.forget(p.id);
            status = 204;
          } else if (action === 'stop') payload = view(state.stop(p.id));
          else if (action === 'start') {
            try {
              payload = view(state.resume(p.id, undefined));
            } catch (err) {
              throw new Problem(400, 'Bad Request', (err as Error).message);
            }
          } else throw new Problem(400, 'Bad Request', `the fake does not ${action} pods`);
          break;
        }
        case 'getSshKeys':
          payload = { keys: state.sshKeys };
          break;
        case 'listPodBilling':
          payload = billing(state, rest, query);
          break;
        case 'getPodLogs':
          pod();
          record.status = 200;
          return streamLogs(state, control, rest, id!, query, header, req, res);
        default:
          throw new Problem(501, 'Not Implemented', `the fake does not implement ${op.operationId}`);
      }
      const after = control.latencyMs.get(field);
      if (after) await sleep(after);
      return answer(status, payload);
    } catch (err) {
      if (err instanceof Problem) {
        return answer(err.status, { title: err.title, status: err.status, detail: err.detail, ...(err.errors ? { errors: err.errors } : {}) }, err.headers);
      }
      return answer(500, { title: 'Internal Server Error', status: 500, detail: String(err) });
    }
  };
}

function coerce(schema: Json, raw: string): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'integer' || type === 'number') return raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

function parseQuery(contract: RestContract, op: Operation, params: URLSearchParams): Record<string, unknown> {
  const declared = op.params.filter((p) => p.in === 'query');
  const out: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const key of new Set(params.keys())) {
    const p = declared.find((d) => d.name === key);
    if (!p) throw new Problem(400, 'Bad Request', `unknown query parameter "${key}"`);
    const raw = params.getAll(key).join(',');
    const schema = p.schema as Json;
    const value = schema.type === 'array' ? raw.split(',').map((s) => coerce((schema.items as Json) ?? {}, s)) : coerce(schema, raw);
    errors.push(...contract.validateParam(p, value));
    out[key] = value;
  }
  for (const p of declared) if (p.required && !(p.name in out)) errors.push(`${p.name}: is required`);
  if (errors.length) throw new Problem(400, 'Bad Request', `invalid query parameters`, errors);
  return out;
}

function parseHeaders(contract: RestContract, op: Operation, req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.params.filter((x) => x.in === 'header')) {
    const v = req.headers[p.name.toLowerCase()];
    if (typeof v !== 'string') continue;
    const errors = contract.validateParam(p, v);
    if (errors.length) throw new Problem(400, 'Bad Request', `invalid header ${p.name}`, errors);
    out[p.name] = v;
  }
  return out;
}

function createPod(state: FakeRunpodState, rest: FakeRunpodRest, b: Json): FakePod {
  if (!b.gpu === !b.cpu) throw new Problem(400, 'Bad Request', 'exactly one of gpu or cpu must be set');
  if (b.cpu) throw new Problem(400, 'Bad Request', 'the fake rents GPU pods only');
  const gpu = b.gpu as { id: string; count?: number };
  const t = state.gpuType(gpu.id);
  if (!t) throw new Problem(400, 'Bad Request', `invalid GPU type "${gpu.id}"`);
  const mounts = (b.mounts as { persistent?: { size: number; path: string } } | undefined)?.persistent;
  let p: FakePod;
  try {
    p = state.createPod(
      {
        gpuTypeId: gpu.id,
        gpuCount: gpu.count ?? 1,
        imageName: b.image,
        name: b.name,
        cloudType: (b.cloud as string | undefined) ?? 'SECURE',
        ports: ((b.ports as string[] | undefined) ?? []).join(','),
        env: Object.entries((b.env as Record<string, string> | undefined) ?? {}).map(([key, value]) => ({ key, value })),
        dockerArgs: (b.args as string | undefined) ?? '',
        containerDiskInGb: b.disk,
        volumeInGb: mounts?.size ?? 0,
        volumeMountPath: mounts?.path,
      },
      false,
    );
  } catch (err) {
    // The document: capacity exhaustion is a 400 with only a human-readable detail.
    throw new Problem(400, 'Bad Request', (err as Error).message);
  }
  // RunPod injects the Jupyter password when asked and none is set.
  if (b.startJupyter && !p.env.some((e) => e.key === 'JUPYTER_PASSWORD')) p.env.push({ key: 'JUPYTER_PASSWORD', value: 'generated-by-runpod' });
  if (rest.logs.failingImages.has(p.imageName)) p.neverReady = true;
  return p;
}

function billing(state: FakeRunpodState, rest: FakeRunpodRest, query: Record<string, unknown>): Json {
  const start = typeof query.startTime === 'string' ? query.startTime : new Date(Date.now() - 30 * 86400_000).toISOString();
  const end = new Date(Date.now() + 3600_000).toISOString();
  const amounts = new Map(rest.billed);
  for (const p of state.pods.values()) {
    if (p.desiredStatus !== 'RUNNING') continue;
    amounts.set(p.id, (amounts.get(p.id) ?? 0) + ((Date.now() - p.runRequestedAt) / 3600_000) * p.costPerHr);
  }
  const podId = query.podId as string | undefined;
  const records = [...amounts]
    .filter(([id]) => !podId || id === podId)
    .map(([id, total]) => ({ startTime: start, endTime: end, podId: id, totalAmount: round(total), gpuAmount: round(total), cpuAmount: 0, diskAmount: 0 }));
  const total = round(records.reduce((s, r) => s + r.totalAmount, 0));
  return {
    records,
    metadata: {
      query: { startTime: start, endTime: end, bucketSize: (query.bucketSize as string | undefined) ?? 'day', ...(podId ? { podId } : {}) },
      recordCount: records.length,
      uniquePodCount: records.length,
      totals: { totalAmount: total, gpuAmount: total, cpuAmount: 0, diskAmount: 0 },
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function streamLogs(
  state: FakeRunpodState,
  control: FakeRunpodControl,
  rest: FakeRunpodRest,
  podId: string,
  query: Record<string, unknown>,
  header: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  const source = query.source as string | undefined;
  const pick = () => rest.logs.all(podId).filter((l) => !source || l.source === source);
  const all = pick();
  let next: number;
  const resume = header['Last-Event-ID'];
  if (resume) {
    // Inclusive: "the stream resumes from this point" — the client must skip what it already has.
    const i = all.findIndex((l) => l.id >= resume);
    next = i < 0 ? all.length : i;
  } else if (typeof query.since === 'string') {
    const i = all.findIndex((l) => l.ts >= (query.since as string));
    next = i < 0 ? all.length : i;
  } else {
    next = Math.max(0, all.length - ((query.tail as number | undefined) ?? 100));
  }
  let sent = 0;
  let closed = false;
  const drop = rest.logDropsLeft > 0 ? rest.logDropAfter : 0;
  if (drop) rest.logDropsLeft--;
  const tick = () => {
    if (closed) return;
    const p = state.pods.get(podId);
    if (!p) return finish();
    state.touch(p, false);
    rest.logs.sync(p);
    const lines = pick();
    while (next < lines.length) {
      const l = lines[next++]!;
      sent++;
      const last = !!drop && sent >= drop;
      // The connection drops mid-stream (as through a flaky proxy) once what was written is out.
      res.write(`id: ${l.id}\ndata: ${JSON.stringify({ ts: l.ts, source: l.source, line: l.line })}\n\n`, last ? () => res.destroy() : undefined);
      if (last) {
        closed = true;
        return;
      }
    }
  };
  const timer = setInterval(tick, 25);
  const finish = () => {
    closed = true;
    clearInterval(timer);
    if (!res.destroyed) res.end();
  };
  req.on('close', finish);
  res.on('close', () => clearInterval(timer));
  tick();
  void control;
}
