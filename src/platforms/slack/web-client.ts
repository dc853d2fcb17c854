import { webApi } from '@slack/bolt';
import type { Logger } from '../../log.js';
import { boltLogger } from './bolt-logger.js';

/**
 * Options for every Web API client the adapter makes.
 *
 * - `slackApiUrl` comes from SLACK_API_URL, so the same code talks to Slack or to a local fake.
 * - `rejectRateLimitedCalls`: by default the client sleeps out a 429 itself, pausing its whole queue,
 *   and retries for up to half an hour. Our delivery paces its own `chat.update`s and core retries a
 *   failed final view after `Retry-After`, so a rate limit must come back to us as an error instead.
 * - `retryConfig`: a couple of quick retries for connection failures only (Slack answers API errors
 *   with HTTP 200, which are never retried); anything longer would blow the 3 s windows of `views.open`
 *   and acknowledgements, and core already retries deliveries with backoff.
 */
export function webClientOptions(slackApiUrl: string, logger: Logger): webApi.WebClientOptions {
  return {
    slackApiUrl,
    logger: boltLogger(logger),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 100, maxTimeout: 1_000 },
    timeout: 15_000,
  };
}

export function createWebClient(
  token: string,
  slackApiUrl: string,
  logger: Logger,
): webApi.WebClient {
  return new webApi.WebClient(token, webClientOptions(slackApiUrl, logger));
}
