import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../src/http/metrics.js';
import { HttpServer } from '../src/http/server.js';
import { silentLogger } from '../src/log.js';
import { startImageApiSimulator, type ImageApiSimulator } from './fakes/image-api/index.js';
import { makeRequest, startTestCore, type TestCore } from './helpers/core.js';

let sim: ImageApiSimulator;
let core: TestCore | undefined;
let http: HttpServer | undefined;

beforeEach(async () => {
  sim = await startImageApiSimulator({ taskDurationMs: 100 });
});
afterEach(async () => {
  await http?.close();
  await core?.close();
  await sim.close();
  http = undefined;
  core = undefined;
});

function metricValue(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('GET /metrics', () => {
  it('counts API calls, retries, polls, quota refusals and deliveries in Prometheus format', async () => {
    const metrics = createMetrics();
    core = await startTestCore({ apiUrl: sim.url, dailyCredits: 2, observer: metrics.observer });
    metrics.watch(core.service);
    http = new HttpServer({
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      readiness: () => Promise.resolve({ ready: true, checks: {} }),
    });
    http.route('/metrics', metrics.handler);
    const port = await http.listen();

    sim.inject({ endpoint: 'createTask', kind: { type: 'status', status: 500 } });
    const good = makeRequest();
    const failing = makeRequest({ prompt: 'a [fail] fox' });
    await core.service.request(good);
    await core.service.request(failing);
    await expect(core.service.request(makeRequest())).rejects.toMatchObject({
      code: 'quota_exhausted',
    });
    await core.delivery.waitForFinal(good.requestId);
    await core.delivery.waitForFinal(failing.requestId);

    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(metricValue(text, 'gib_deliveries_total', '{result="ok"}')).toBe(2);
    expect(
      metricValue(text, 'gib_api_retries_total', '{endpoint="createTask",kind="server_error"}'),
    ).toBe(1);
    expect(
      metricValue(text, 'gib_api_errors_total', '{endpoint="createTask",kind="server_error"}'),
    ).toBe(1);
    expect(metricValue(text, 'gib_quota_refusals_total', '{reason="quota_exhausted"}')).toBe(1);
    expect(metricValue(text, 'gib_polls_per_job_count')).toBe(2);
    expect(
      metricValue(
        text,
        'gib_api_request_duration_seconds_count',
        '{endpoint="recordInfo",outcome="ok"}',
      ),
    ).toBeGreaterThanOrEqual(2);
    expect(metricValue(text, 'gib_job_transitions_total', '{state="done"}')).toBe(1);
    expect(metricValue(text, 'gib_job_transitions_total', '{state="failed"}')).toBe(1);
    expect(metricValue(text, 'gib_jobs_active', '{state="waiting"}')).toBe(0);
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
  });
});

describe('health endpoints', () => {
  it('answer /healthz while alive and /readyz by the readiness checks', async () => {
    let ready = true;
    http = new HttpServer({
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger,
      readiness: () => Promise.resolve({ ready, checks: { store: true, discord: ready } }),
    });
    const port = await http.listen();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({
      status: 'ready',
      checks: { store: true, discord: true },
    });
    ready = false;
    const notReady = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ checks: { discord: false } });
    expect((await fetch(`http://127.0.0.1:${port}/nothing`)).status).toBe(404);
  });
});

describe('retention', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'gib-retention-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  function rowCount(path: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(path);
      db.get(
        'SELECT COUNT(*) AS n FROM keyv WHERE key LIKE ? OR key LIKE ?',
        ['jobs:%', 'history:%'],
        (error, row: { n: number }) => {
          db.close();
          if (error) reject(error);
          else resolve(row.n);
        },
      );
    });
  }

  it('expires finished jobs and histories, and the sweep removes them from the SQLite file', async () => {
    const path = join(folder, 'bot.sqlite');
    core = await startTestCore({
      apiUrl: sim.url,
      storeUrl: `sqlite://${path}`,
      service: { retentionMs: 300 },
    });
    const request = makeRequest();
    await core.service.request(request);
    await core.delivery.waitForFinal(request.requestId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await rowCount(path)).toBe(2);
    expect(await core.service.history('test:alice')).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, 400));
    await core.service.jobs.sweepExpired();
    expect(await rowCount(path)).toBe(0);
    expect(await core.service.jobs.get(request.requestId)).toBeUndefined();
    expect(await core.service.history('test:alice')).toEqual([]);
  });

  it('never expires a job that is still running', async () => {
    sim.setTaskDuration(1_000);
    core = await startTestCore({ apiUrl: sim.url, service: { retentionMs: 50 } });
    const request = makeRequest();
    await core.service.request(request);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await core.service.jobs.sweepExpired();
    expect((await core.service.jobs.get(request.requestId))?.state).toBe('waiting');
    expect((await core.delivery.waitForFinal(request.requestId)).kind).toBe('done');
  });
});
