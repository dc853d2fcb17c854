import { cleanEcho } from '../../../core/echo.js';
import { translate, type Locale } from '../../../i18n/index.js';
import { truncate } from '../../view-text.js';

/**
 * Outside text as Slack shows it: cleaned of invisible characters and secrets like every echo, and
 * with Slack's three control characters escaped, which turns `<!channel>`, `<!here>`, `<@U123>`,
 * `<!subteam^S1>` and `<https://evil|safe>` typed into a prompt into plain text that cannot notify
 * anyone or hide a link.
 */
export function escapeMrkdwn(text: string): string {
  return cleanEcho(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Section text is limited to 3,000 characters and prompts may be 20,000, so long prompts are cut:
 * after cleaning (half a secret is still a secret) and before escaping, so an entity like `&amp;`
 * is never split.
 */
export function promptText(prompt: string, max = 2_500): string {
  return escapeMrkdwn(truncate(cleanEcho(prompt), max));
}

/**
 * A mrkdwn text object for text we did not write (prompts, API messages). `verbatim` stops Slack
 * from linking bare `@here`, channel names and URLs on its own.
 */
export function userText(text: string): { type: 'mrkdwn'; text: string; verbatim: true } {
  return { type: 'mrkdwn', text, verbatim: true };
}

export function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text };
}

/** Labels, options and buttons: Slack takes 75 characters of plain text there. */
export function plain(text: string): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text: truncate(text, 75), emoji: true };
}

/** An input's hint: Slack takes up to 2,000 characters, so a hint is shown whole in every language. */
export function hintText(text: string): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text: truncate(text, 2_000), emoji: true };
}

/**
 * Slack renders this in each reader's own time zone and locale; the words around the date and the
 * time (`{date_short_pretty} at {time}`) are ours, in the reader's language.
 */
export function slackDate(when: number | Date, locale: Locale = 'en'): string {
  const ms = typeof when === 'number' ? when : when.getTime();
  const fallback = new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return `<!date^${Math.floor(ms / 1000)}^${translate(locale, 'slack.date')}|${fallback}>`;
}
