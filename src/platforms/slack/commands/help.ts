import { ASPECT_RATIOS, OUTPUT_FORMATS, QUALITIES, RESOLUTIONS } from '../../../core/options.js';
import { escapeMrkdwn } from '../render/text.js';
import { replyPrivately } from './reply-to-command.js';
import type { Subcommand } from './subcommand.js';

/** Built from the registry, so help always lists exactly the subcommands that exist. */
export function helpCommand(all: () => Subcommand[]): Subcommand {
  return {
    name: 'help',
    usage: '/imagine help',
    summary: 'This help.',
    async run(context, input) {
      const lines = [
        '*Make images with `/imagine`*',
        // Usages contain `<prompt>`, which Slack would read as a link unless escaped.
        ...all().map((command) => `• \`${escapeMrkdwn(command.usage)}\` — ${command.summary}`),
        '• `/imagine` with nothing after it opens a form with a channel picker.',
        '',
        `*Options:* \`--ar\` ${ASPECT_RATIOS.join(', ')} · \`--res\` ${RESOLUTIONS.join(', ')} · \`--quality\` ${QUALITIES.join(', ')} · \`--format\` ${OUTPUT_FORMATS.join(', ')} · \`--private\` (only you see it)`,
        'Results have buttons: Reroll (same prompt again), Share (to a channel you pick) and Delete.',
      ];
      await replyPrivately(context, input, lines.join('\n'));
    },
  };
}
