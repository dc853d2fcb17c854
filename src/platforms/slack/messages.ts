import { UserError } from '../../core/errors.js';
import {
  registerCatalogue,
  renderMessage,
  type Catalogue,
  type ParamsOf,
} from '../../core/messages.js';
import { translate, type Locale } from '../../i18n/index.js';
import type { SlackApi } from './slack-api.js';

/** What only Slack refuses: the bot is not in a channel, or Slack itself said no. */
export const slackMessages = {
  slack_not_in_channel: (p: { botName: string }, locale: Locale = 'en') =>
    translate(locale, 'error.slack_not_in_channel', { botName: p.botName }),
  slack_share_not_in_channel: (p: { botName: string }, locale: Locale = 'en') =>
    translate(locale, 'error.slack_share_not_in_channel', { botName: p.botName }),
  slack_rate_limited: (p: { retryAfterSeconds: number }, locale: Locale = 'en') =>
    translate(locale, 'error.slack_rate_limited', {
      seconds: Math.max(1, Math.ceil(p.retryAfterSeconds)),
    }),
  slack_settings_not_a_number: (p: { value: string }, locale: Locale = 'en') =>
    translate(locale, 'error.slack_settings_not_a_number', { value: p.value }),
  slack_api_error: (p: { error: string }, locale: Locale = 'en') =>
    translate(locale, 'error.slack_api_error', { error: p.error }),
} satisfies Catalogue;

registerCatalogue(slackMessages);

type SlackCode = keyof typeof slackMessages;

/** A refusal only Slack has, typed against its catalogue. */
export function slackRefusal<C extends SlackCode>(
  code: C,
  params: ParamsOf<typeof slackMessages, C>,
): UserError<C> {
  const make = UserError as new (code: C, params: object) => UserError<C>;
  return new make(code, params);
}

/** Why a request cannot go to its channel, with the invite hint; shown beside a private result. */
export function notInChannelNotice(botName: string, locale: Locale = 'en'): string {
  return renderMessage('slack_not_in_channel', { botName }, locale);
}

/** The bot cannot post where a share should go: how to invite it. */
export async function shareNotInChannel(slack: SlackApi): Promise<UserError> {
  return slackRefusal('slack_share_not_in_channel', { botName: (await slack.bot()).name });
}
