import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type {
  SimulatedEndpoint,
  SimulatedExchange,
  SimulatedImageApi,
  SimResponse,
  TaskRecord,
} from '../../../src/simulator/image-api.js';
import {
  defaultMessage,
  errorResponse,
  isPlainObject,
  jsonResponse,
  successResponse,
} from '../../../src/simulator/responses.js';

/**
 * Fault injection for the fake image API: answers the real API may give on a bad day (error
 * statuses, error codes in a 200 body, proxy HTML pages, cut bodies, hangs, resets, delays,
 * unusable results), each applied to the next matching request(s) in the order injected.
 */

export type FaultEndpoint = 'createTask' | 'recordInfo' | 'cdn' | 'any';
export type FaultStatus = 400 | 401 | 402 | 404 | 409 | 422 | 429 | 500 | 502 | 503;

export type FaultKind =
  | { type: 'status'; status: FaultStatus; msg?: string; retryAfter?: number }
  | { type: 'bodyCode'; code: number; msg?: string }
  | { type: 'html'; status?: number }
  | { type: 'truncated' }
  | { type: 'hang' }
  | { type: 'delay'; ms: number }
  | { type: 'reset' }
  | { type: 'garbage-result' }
  | { type: 'no-urls' };

export interface Fault {
  endpoint: FaultEndpoint;
  /** How many matching requests this fault applies to (default 1). */
  times?: number;
  /** For createTask `hang`/`reset`: create the task first, as if the server crashed after accepting it. */
  afterCreate?: boolean;
  kind: FaultKind;
}

const FAULT_STATUSES: ReadonlySet<number> = new Set([
  400, 401, 402, 404, 409, 422, 429, 500, 502, 503,
]);
const RECORD_ONLY_FAULTS: ReadonlySet<FaultKind['type']> = new Set(['garbage-result', 'no-urls']);

/** Parses and validates a fault, e.g. from the HTTP control endpoint. Throws with a readable message. */
export function parseFault(value: unknown): Fault {
  if (!isPlainObject(value)) throw new Error('fault must be an object');
  const { endpoint, times, afterCreate, kind } = value;
  if (
    endpoint !== 'createTask' &&
    endpoint !== 'recordInfo' &&
    endpoint !== 'cdn' &&
    endpoint !== 'any'
  ) {
    throw new Error('fault.endpoint must be one of createTask, recordInfo, cdn, any');
  }
  if (times !== undefined && !(Number.isInteger(times) && (times as number) >= 1)) {
    throw new Error('fault.times must be a positive integer');
  }
  if (afterCreate !== undefined && typeof afterCreate !== 'boolean') {
    throw new Error('fault.afterCreate must be a boolean');
  }
  const parsedKind = parseFaultKind(kind);
  if (RECORD_ONLY_FAULTS.has(parsedKind.type) && endpoint !== 'recordInfo' && endpoint !== 'any') {
    throw new Error(`fault kind ${parsedKind.type} only applies to recordInfo`);
  }
  return {
    endpoint,
    ...(times === undefined ? {} : { times: times as number }),
    ...(afterCreate === undefined ? {} : { afterCreate }),
    kind: parsedKind,
  };
}

function parseFaultKind(kind: unknown): FaultKind {
  if (!isPlainObject(kind)) throw new Error('fault.kind must be an object');
  const optionalMsg = (): { msg?: string } => {
    if (kind.msg === undefined) return {};
    if (typeof kind.msg !== 'string') throw new Error('fault.kind.msg must be a string');
    return { msg: kind.msg };
  };
  switch (kind.type) {
    case 'status': {
      if (typeof kind.status !== 'number' || !FAULT_STATUSES.has(kind.status)) {
        throw new Error(`fault.kind.status must be one of ${[...FAULT_STATUSES].join(', ')}`);
      }
      if (
        kind.retryAfter !== undefined &&
        !(typeof kind.retryAfter === 'number' && kind.retryAfter >= 0)
      ) {
        throw new Error('fault.kind.retryAfter must be a non-negative number of seconds');
      }
      return {
        type: 'status',
        status: kind.status as FaultStatus,
        ...optionalMsg(),
        ...(kind.retryAfter === undefined ? {} : { retryAfter: kind.retryAfter }),
      };
    }
    case 'bodyCode':
      if (!Number.isInteger(kind.code)) throw new Error('fault.kind.code must be an integer');
      return { type: 'bodyCode', code: kind.code as number, ...optionalMsg() };
    case 'html':
      if (
        kind.status !== undefined &&
        !(Number.isInteger(kind.status) && (kind.status as number) >= 200)
      ) {
        throw new Error('fault.kind.status must be an HTTP status code');
      }
      return kind.status === undefined
        ? { type: 'html' }
        : { type: 'html', status: kind.status as number };
    case 'delay':
      if (typeof kind.ms !== 'number' || !(kind.ms >= 0) || !Number.isFinite(kind.ms)) {
        throw new Error('fault.kind.ms must be a non-negative number');
      }
      return { type: 'delay', ms: kind.ms };
    case 'truncated':
    case 'hang':
    case 'reset':
    case 'garbage-result':
    case 'no-urls':
      return { type: kind.type };
    default:
      throw new Error(
        'fault.kind.type must be one of status, bodyCode, html, truncated, hang, delay, reset, garbage-result, no-urls',
      );
  }
}

/** The faults waiting for their requests, and the responses they keep open. */
export class FaultInjector {
  private readonly queue: { fault: Fault; remaining: number }[] = [];
  private readonly hangingResponses = new Set<ServerResponse>();
  private readonly delayTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly simulator: () => SimulatedImageApi,
    private readonly now: () => number,
  ) {}

  get pending(): Fault[] {
    return this.queue.map(({ fault, remaining }) => ({ ...fault, times: remaining }));
  }

  inject(fault: Fault): void {
    const valid = parseFault(fault);
    this.queue.push({ fault: valid, remaining: valid.times ?? 1 });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Applies the first pending fault that matches the request; false when none does. */
  async intercept(exchange: SimulatedExchange): Promise<boolean> {
    const fault = this.take(exchange.request.endpoint);
    if (!fault) return false;
    await this.apply(fault, exchange);
    return true;
  }

  close(): void {
    for (const timer of this.delayTimers) clearTimeout(timer);
    this.delayTimers.clear();
    for (const res of this.hangingResponses) res.socket?.destroy();
    this.hangingResponses.clear();
  }

  private take(endpoint: SimulatedEndpoint): Fault | undefined {
    if (endpoint === 'unknown' || this.queue.length === 0) return undefined;
    const index = this.queue.findIndex(
      ({ fault }) =>
        (fault.endpoint === endpoint || fault.endpoint === 'any') &&
        (!RECORD_ONLY_FAULTS.has(fault.kind.type) || endpoint === 'recordInfo'),
    );
    const pending = this.queue[index];
    if (!pending) return undefined;
    pending.remaining--;
    if (pending.remaining <= 0) this.queue.splice(index, 1);
    return pending.fault;
  }

  private async apply(fault: Fault, exchange: SimulatedExchange): Promise<void> {
    const { request, req, res } = exchange;
    const kind = fault.kind;
    const createFirst = fault.afterCreate === true && request.endpoint === 'createTask';
    switch (kind.type) {
      case 'status': {
        const response = errorResponse(kind.status, kind.msg);
        if (kind.retryAfter !== undefined)
          response.headers['retry-after'] = String(kind.retryAfter);
        exchange.send(response);
        return;
      }
      case 'bodyCode':
        exchange.send(
          jsonResponse(200, {
            code: kind.code,
            msg: kind.msg ?? defaultMessage(kind.code),
            data: null,
          }),
        );
        return;
      case 'html':
        exchange.send(htmlErrorPage(kind.status ?? 502));
        return;
      case 'truncated':
        exchange.send(await truncatedResponse(exchange));
        return;
      case 'hang':
        if (createFirst) await exchange.answer();
        this.hangingResponses.add(res);
        res.once('close', () => this.hangingResponses.delete(res));
        return;
      case 'reset':
        if (createFirst) await exchange.answer();
        req.socket.destroy();
        return;
      case 'delay': {
        const response = await exchange.answer();
        const timer = setTimeout(() => {
          this.delayTimers.delete(timer);
          exchange.send(response);
        }, kind.ms);
        this.delayTimers.add(timer);
        return;
      }
      case 'garbage-result':
      case 'no-urls':
        exchange.send(await this.unusableResult(exchange, kind.type));
        return;
    }
  }

  /** A success record for the task asked about, whose result cannot be used. */
  private async unusableResult(
    exchange: SimulatedExchange,
    type: 'garbage-result' | 'no-urls',
  ): Promise<SimResponse> {
    // The usual answer first: it authenticates, counts in the windows and finds the key's task.
    const usual = await exchange.answer();
    const body = JSON.parse(usual.body.toString('utf8')) as { code: number; data?: TaskRecord };
    if (usual.status !== 200 || body.code !== 200 || !body.data) return usual;
    const record = body.data;
    const task = this.simulator().tasks.get(record.taskId)!;
    const completeTime = record.completeTime ?? Math.round(this.now());
    const resultJson =
      type === 'no-urls'
        ? JSON.stringify({ resultUrls: [] })
        : `{"resultUrls":["${this.simulator().resultUrlOf(task)}"`;
    return successResponse({
      ...record,
      state: 'success',
      resultJson,
      failCode: null,
      failMsg: null,
      completeTime,
      costTime: completeTime - record.createTime,
    });
  }
}

async function truncatedResponse(exchange: SimulatedExchange): Promise<SimResponse> {
  const { endpoint } = exchange.request;
  if (endpoint === 'cdn') {
    const normal = await exchange.answer();
    if (normal.status !== 200) return normal;
    return { ...normal, body: normal.body.subarray(0, Math.floor(normal.body.length / 2)) };
  }
  // createTask must not create anything here, so the cut body carries a task id nobody knows.
  const full =
    endpoint === 'createTask'
      ? jsonResponse(200, { code: 200, msg: 'success', data: { taskId: randomUUID() } })
      : await exchange.answer();
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: full.body.subarray(0, Math.floor(full.body.length / 2)),
  };
}

/** The page a proxy in front of the API (nginx) shows when the API behind it fails. */
function htmlErrorPage(status: number): SimResponse {
  const titles: Record<number, string> = {
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Temporarily Unavailable',
    504: 'Gateway Time-out',
  };
  const title = `${status} ${titles[status] ?? 'Error'}`;
  const page = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return { status, headers: { 'content-type': 'text/html' }, body: Buffer.from(page) };
}
