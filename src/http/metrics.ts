import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GenerationService } from '../core/generation-service.js';
import type { CoreObserver } from '../core/observer.js';
import type { JobState } from '../core/types.js';
import type { RouteHandler } from './server.js';

const JOB_STATES: JobState[] = ['queued', 'submitted', 'waiting', 'delivering', 'done', 'failed'];

export interface Metrics {
  observer: CoreObserver;
  registry: Registry;
  /** Lets the jobs-by-state gauge read the service's live jobs at scrape time. */
  watch(service: GenerationService): void;
  /** Counts an audited event (AuditLog's `observe` hook): credits spent, refusals by reason. */
  audited(event: AuditedOutcome): void;
  handler: RouteHandler;
}

/** What the metrics read of an audit event; never who or where, so no series per user or server. */
export interface AuditedOutcome {
  outcome: 'accepted' | 'refused' | 'succeeded' | 'failed';
  cost: number;
  /** The catalogued refusal code, for `refused`. */
  reason?: string;
}

/** Prometheus metrics for the core's work plus Node's own (event-loop delay, memory, GC). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let service: GenerationService | undefined;

  new Gauge({
    name: 'gib_jobs_active',
    help: 'Jobs this process is working, by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = service?.activeJobsByState() ?? {};
      for (const state of JOB_STATES) {
        if (state !== 'done' && state !== 'failed') this.set({ state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'gib_api_budget_limit',
    help: "Requests the bot allows itself per window (the key's tier, lowered when a 429 names less)",
    labelNames: ['endpoint', 'window'],
    registers: [registry],
    collect() {
      const limits = service?.apiLimits;
      if (!limits) return;
      for (const endpoint of ['createTask', 'recordInfo'] as const) {
        this.set({ endpoint, window: '1s' }, limits[endpoint].perSecond);
        this.set({ endpoint, window: '60s' }, limits[endpoint].perMinute);
      }
    },
  });
  const jobsEntered = new Counter({
    name: 'gib_job_transitions_total',
    help: 'Jobs that entered each state',
    labelNames: ['state'],
    registers: [registry],
  });
  const apiDuration = new Histogram({
    name: 'gib_api_request_duration_seconds',
    help: 'Image API call latency by endpoint and outcome (ok or the error kind)',
    labelNames: ['endpoint', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const apiErrors = new Counter({
    name: 'gib_api_errors_total',
    help: 'Image API calls that failed, by endpoint and error kind',
    labelNames: ['endpoint', 'kind'],
    registers: [registry],
  });
  const apiRetries = new Counter({
    name: 'gib_api_retries_total',
    help: 'createTask retries (always with the same X-Request-ID), by the error that caused them',
    labelNames: ['endpoint', 'kind'],
    registers: [registry],
  });
  const pollsPerJob = new Histogram({
    name: 'gib_polls_per_job',
    help: 'recordInfo calls each job needed',
    buckets: [1, 2, 5, 10, 15, 20, 30, 50, 100],
    registers: [registry],
  });
  const quotaRefusals = new Counter({
    name: 'gib_quota_refusals_total',
    help: 'Requests refused for quota, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  const creditsSpent = new Counter({
    name: 'gib_credits_spent_total',
    help: 'Credits spent on generations that succeeded (failed ones are refunded)',
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'gib_generation_refusals_total',
    help: 'Generation requests refused before any task, by reason (channel, role, prompt rule, quota, server budget)',
    labelNames: ['reason'],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'gib_deliveries_total',
    help: 'Finished jobs shown to users (ok) or not shown even after retries (failed)',
    labelNames: ['result'],
    registers: [registry],
  });

  const observer: CoreObserver = {
    apiCall(endpoint, durationMs, errorKind) {
      apiDuration.observe({ endpoint, outcome: errorKind ?? 'ok' }, durationMs / 1000);
      if (errorKind) apiErrors.inc({ endpoint, kind: errorKind });
    },
    apiRetry: (endpoint, kind) => apiRetries.inc({ endpoint, kind }),
    jobEntered: (state) => jobsEntered.inc({ state }),
    quotaRefused: (reason) => quotaRefusals.inc({ reason }),
    delivered: (ok) => deliveries.inc({ result: ok ? 'ok' : 'failed' }),
    pollsForJob: (polls) => pollsPerJob.observe(polls),
  };

  return {
    observer,
    registry,
    watch(watched) {
      service = watched;
    },
    audited(event) {
      if (event.outcome === 'succeeded') creditsSpent.inc(event.cost);
      else if (event.outcome === 'refused') refusals.inc({ reason: event.reason ?? 'unknown' });
    },
    handler: async (_request, response) => {
      const body = await registry.metrics();
      response.writeHead(200, { 'content-type': registry.contentType });
      response.end(body);
    },
  };
}
