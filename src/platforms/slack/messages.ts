import { UserError } from '../../core/errors.js';
import {
  registerCatalogue,
  renderMessage,
  type Catalogue,
  type ParamsOf,
} from '../../core/messages.js';
import type { SlackApi } from './slack-api.js';

/** What only Slack refuses: the bot is not in a channel, or Slack itself said no. */
export const slackMessages = {
  slack_not_in_channel: (p: { botName: string }) =>
    `I can't post in this conversation, so your image will come to you privately in our DM. To get images here, invite me with \`/invite @${p.botName}\`.`,
  slack_share_not_in_channel: (p: { botName: string }) =>
    `I can't post in that channel. Invite me there with \`/invite @${p.botName}\`, then share again.`,
  slack_rate_limited: (p: { retryAfterSeconds: number }) =>
    `Slack is limiting how fast I can post right now. Please try again in about ${Math.max(1, Math.ceil(p.retryAfterSeconds))} seconds.`,
  slack_settings_not_a_number: (p: { value: string }) =>
    `"${p.value}" is not a number of credits. Type a whole number, 0 or more, or leave it empty for the operator's default.`,
  slack_api_error: (p: { error: string }) =>
    `Slack refused the request (${p.error}). Please try again; if it keeps happening, tell the bot operator.`,
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
export function notInChannelNotice(botName: string): string {
  return renderMessage('slack_not_in_channel', { botName });
}

/** The bot cannot post where a share should go: how to invite it. */
export async function shareNotInChannel(slack: SlackApi): Promise<UserError> {
  return slackRefusal('slack_share_not_in_channel', { botName: (await slack.bot()).name });
}
