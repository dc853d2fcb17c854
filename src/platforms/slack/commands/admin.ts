import { UserError } from '../../../core/errors.js';
import { slackUserKey } from '../target.js';
import { replyPrivately } from './reply-to-command.js';
import type { Subcommand } from './subcommand.js';

/** Slack escapes a mention typed into a command as `<@U123|name>` (the manifest asks it to). */
const CREDITS = /^credits\s+<@([A-Z0-9]+)(?:\|[^>]*)?>\s+(\d{1,6})$/i;

export const admin: Subcommand = {
  name: 'admin',
  usage: '/imagine admin credits @user 50',
  summary: "Workspace admins: set a person's daily credits.",
  async run(context, input) {
    if (!(await context.slack.isAdmin(input.userId))) throw new UserError('admin_only');
    const match = CREDITS.exec(input.args.trim());
    if (!match) throw new UserError('admin_usage');
    const [, userId, amount] = match as unknown as [string, string, string];
    const credits = Number(amount);
    await context.service.quota.setDailyCredits(slackUserKey(input.teamId, userId), credits);
    context.logger.info({ admin: input.userId, user: userId, credits }, 'daily credits set');
    await replyPrivately(context, input, `<@${userId}> now has ${credits} credits a day.`);
  },
};
