import { cleanEcho } from './echo.js';

interface PoolRefusal {
  remaining: number;
  cost: number;
  resetsAt: string;
}

/** A server's (or workspace's) shared credits ran out: what is left, when they return, what to do. */
function sharedCreditsRefusal(p: PoolRefusal, when: string, budget: string): string {
  const instead = p.remaining > 0 ? 'a lower resolution may fit, or ' : '';
  return `This image costs ${p.cost} credit${p.cost === 1 ? '' : 's'} and the credits this server shares have ${p.remaining} left ${when}. They reset ${p.resetsAt}; until then ${instead}an admin can raise the server's ${budget} budget.`;
}

/**
 * Every message a user can see for something that went wrong, in one place, so wording stays
 * consistent across Discord, Slack and the terminal and every message says what to do next.
 */
export const messages = {
  prompt_empty: () =>
    'Your prompt is empty. Describe the image you want, e.g. `/imagine a red fox in snow`.',
  prompt_too_long: (p: { length: number; max: number }) =>
    `Your prompt is ${p.length.toLocaleString('en-US')} characters; the limit is ${p.max.toLocaleString('en-US')}. Shorten it and try again.`,
  invalid_option: (p: { option: string; value: string; valid: readonly string[] }) =>
    `"${p.value}" is not a valid ${p.option}. Use one of: ${p.valid.join(', ')}.`,
  unknown_option: (p: { flag: string; known: readonly string[] }) =>
    `Unknown option ${p.flag}. Options you can use: ${p.known.join(', ')}.`,
  missing_option_value: (p: { flag: string; valid: readonly string[] }) =>
    `${p.flag} needs a value: one of ${p.valid.join(', ')}.`,
  quota_exhausted: (p: {
    remaining: number;
    cost: number;
    resetsAt: string;
    cheaperFits: boolean;
  }) =>
    `This image costs ${p.cost} credit${p.cost === 1 ? '' : 's'} and you have ${p.remaining} left today. Your credits reset ${p.resetsAt}${p.cheaperFits ? '; a lower resolution costs less' : ''}.`,
  server_daily_exhausted: (p: PoolRefusal) => sharedCreditsRefusal(p, 'today', 'daily'),
  server_monthly_exhausted: (p: PoolRefusal) => sharedCreditsRefusal(p, 'this month', 'monthly'),
  too_many_active: (p: { max: number }) =>
    `You already have ${p.max} image${p.max === 1 ? '' : 's'} generating. Wait for one to finish, then try again.`,
  api_invalid_request: (p: { apiMessage: string }) =>
    `The image service rejected this request: ${p.apiMessage}. Change the prompt or options and try again.`,
  api_unavailable_for_operator: () =>
    'The image service is not accepting this bot right now. The bot operator has been told; please try again later.',
  api_out_of_credits: () =>
    'The bot has run out of image credits with the image service. Your credits were not used; please ask the bot operator to top up.',
  api_task_not_found: () =>
    'The image service lost track of this generation. Your credits were refunded; please try again.',
  api_busy: () => 'The image service is busy with other images. Please try again in a minute.',
  api_rate_limited: (p: { retryAfterSeconds: number }) =>
    `The image service is rate limiting requests. Please try again in about ${Math.max(1, Math.ceil(p.retryAfterSeconds))} seconds.`,
  api_unavailable: () =>
    'The image service is having trouble right now. Your credits were refunded; please try again in a few minutes.',
  api_malformed: () =>
    'The image service sent an answer the bot could not read. Your credits were refunded; please try again.',
  generation_failed: (p: { failMsg: string; failCode?: string | null }) =>
    `The image could not be generated: ${p.failMsg}${p.failCode ? ` (code ${p.failCode})` : ''}. Your credits were refunded; try rewording the prompt.`,
  edit_failed: (p: { failMsg: string; failCode?: string | null }) =>
    `The image could not be made from its source image: ${p.failMsg}${p.failCode ? ` (code ${p.failCode})` : ''}. Your credits were refunded; check that the source image is still there and open to anyone, then try again.`,
  result_unavailable: () =>
    'The image was generated, but the bot could not fetch it from the image service to show it here. Your credits were refunded; please try again, and if it keeps happening, tell the bot operator.',
  generation_timed_out: (p: { minutes: number }) =>
    `The image was not ready after ${p.minutes} minutes, so the bot stopped waiting. Your credits were refunded; please try again.`,
  internal: (p: { correlationId: string }) =>
    `Something went wrong on our side. Please try again; if it keeps happening, give the bot operator this reference: ${p.correlationId}.`,
} as const;

export type MessageCode = keyof typeof messages;
export type MessageParams<C extends MessageCode> = ParamsOf<typeof messages, C>;

/** A set of messages by code; each takes its placeholders' values and returns the sentence. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Catalogue = Record<string, (params: any) => string>;

/** The placeholders a catalogue's message takes (none: an empty record). */
export type ParamsOf<K extends Catalogue, C extends keyof K> = Parameters<K[C]>[0] extends undefined
  ? Record<string, never>
  : Parameters<K[C]>[0];

/**
 * The core's catalogue first; the conversation layer and each platform add theirs at load time,
 * so a UserError may carry any of their codes while the core knows none of them.
 */
const catalogues: Catalogue[] = [messages];

export function registerCatalogue(catalogue: Catalogue): void {
  if (!catalogues.includes(catalogue)) catalogues.push(catalogue);
}

export function isKnownCode(code: string): boolean {
  return catalogues.some((catalogue) => Object.hasOwn(catalogue, code));
}

/** Messages carry outside text (the API's msg and failMsg, what was typed): cleaned like any echo. */
export function renderMessage(code: string, params: object): string {
  const catalogue = catalogues.find((candidate) => Object.hasOwn(candidate, code));
  if (!catalogue) throw new Error(`no message catalogued for code "${code}"`);
  return cleanEcho(catalogue[code]!(params));
}
