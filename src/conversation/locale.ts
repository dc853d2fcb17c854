import { resolveLocale, type Locale } from '../i18n/index.js';
import type { ConversationContext } from './context.js';
import type { Interaction } from './interaction.js';

/**
 * The language the conversation answers this person in: the one their platform gave
 * (`interaction.locale`, already the adapter's best: Discord's user then server language, Slack's
 * user locale, the playground's switch) when the bot speaks it, else DEFAULT_LOCALE. The one place
 * the conversation decides it.
 */
export function localeOf(
  interaction: Pick<Interaction, 'locale'>,
  context: Pick<ConversationContext, 'defaultLocale'>,
): Locale {
  return resolveLocale([interaction.locale], context.defaultLocale);
}
