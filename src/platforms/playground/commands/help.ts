import { ASPECT_RATIOS, OUTPUT_FORMATS, QUALITIES, RESOLUTIONS } from '../../../core/options.js';
import { tellPrivately } from '../reply.js';
import { audienceOf, type Command } from './command.js';

/** Built from the registry, so help always lists exactly the commands that exist. */
export function helpCommand(all: () => Command[], failMarker: string | undefined): Command {
  return {
    name: 'help',
    usage: '/imagine help',
    summary: 'This help.',
    run(context, input) {
      tellPrivately(context, audienceOf(input), [
        'Make images with /imagine:',
        ...all().map((command) => `\`${command.usage}\` — ${command.summary}`),
        `Options: \`--ar\` ${ASPECT_RATIOS.join(', ')} · \`--res\` ${RESOLUTIONS.join(', ')} · \`--quality\` ${QUALITIES.join(', ')} · \`--format\` ${OUTPUT_FORMATS.join(', ')} · \`--private\` (only you see it)`,
        'Results have buttons: Reroll (same prompt again), Share (to the other channel) and Delete (yours, or anyone’s for a moderator).',
        ...(failMarker
          ? [
              `Simulated image API: a prompt containing \`${failMarker}\` fails the way a refused prompt does.`,
            ]
          : []),
      ]);
      return Promise.resolve();
    },
  };
}
