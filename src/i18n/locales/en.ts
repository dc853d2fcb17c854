/**
 * English, the source catalogue: every key the bot shows, with `{placeholders}`. A key ending in
 * `_one` / `_other` is a plural form, picked by the `count` parameter with the language's rules.
 * Another language copies every key (see docs/translating.md); a test checks it has them all.
 */
export const en = {
  'unit.days_one': '{count} day',
  'unit.days_other': '{count} days',
  'unit.hours_one': '{count} h',
  'unit.hours_other': '{count} h',
  'unit.minutes_one': '{count} min',
  'unit.minutes_other': '{count} min',
  'unit.seconds_one': '{count} s',
  'unit.seconds_other': '{count} s',
  /** Two units of a duration, largest first: "3 h 20 min". */
  'unit.pair': '{larger} {smaller}',
  // --- discord ---
  // Command registration: descriptions and choice labels people read in the command picker.
  // Command and option names are typed, and stay as they are in every language.
  'discord.command.imagine': 'Generate an image from a text description',
  'discord.command.imagine.prompt':
    'Describe the image: subject, style, lighting, text to include…',
  'discord.command.imagine.aspect_ratio': 'Shape of the image (default: the model picks)',
  'discord.command.imagine.aspect_ratio.auto': 'auto: the model picks',
  'discord.command.imagine.aspect_ratio.1:1': '1:1 square',
  'discord.command.imagine.aspect_ratio.4:5': '4:5 portrait (social post)',
  'discord.command.imagine.aspect_ratio.3:4': '3:4 portrait',
  'discord.command.imagine.aspect_ratio.2:3': '2:3 portrait (poster)',
  'discord.command.imagine.aspect_ratio.16:9': '16:9 landscape (widescreen)',
  'discord.command.imagine.aspect_ratio.9:16': '9:16 tall (phone screen)',
  'discord.command.imagine.aspect_ratio.21:9': '21:9 ultra-wide',
  'discord.command.imagine.resolution':
    'Size of the image; bigger costs more credits (default: 1K)',
  'discord.command.imagine.resolution.1K': '1K: fastest, fewest credits',
  'discord.command.imagine.resolution.2K': '2K: sharper, more credits',
  'discord.command.imagine.resolution.4K': '4K: sharpest, most credits',
  'discord.command.imagine.quality': 'Detail versus speed (default: the model picks)',
  'discord.command.imagine.quality.auto': 'auto: the model picks',
  'discord.command.imagine.quality.low': 'low: quickest drafts',
  'discord.command.imagine.quality.medium': 'medium',
  'discord.command.imagine.quality.high': 'high: most detail, slowest',
  'discord.command.imagine.output_format':
    'File type of the image (default: the model picks, usually PNG)',
  'discord.command.imagine.output_format.png': 'PNG: lossless',
  'discord.command.imagine.output_format.jpeg': 'JPEG: smaller files',
  'discord.command.imagine.output_format.webp': 'WebP: small and sharp',
  'discord.command.imagine.private': 'Only you see the prompt and the image (default: false)',
  'discord.command.imagine.image':
    'An image to start from (PNG, JPEG or WebP, up to 30 MB); the prompt says what to change',
  'discord.command.imagine.image.another': 'Another image to start from',
  'discord.command.quota':
    'Your image credits left today, when they reset, and what is generating now',
  'discord.command.history': 'Your last {size} generations, with links to the images',
  'discord.command.help':
    'What the bot can do: commands, options, the buttons under an image, and what it costs',
  /** The context-menu command on a message (Apps → …): its name is its label. */
  'discord.command.edit-image': 'Edit image',
  'discord.command.imagine-admin':
    "Manage this server's image budgets, rules and reports (Manage Server)",
  'discord.command.imagine-admin.settings': "Show this server's image settings",
  'discord.command.imagine-admin.budget': "Cap the server's credits per day or month",
  'discord.command.imagine-admin.budget.daily':
    'Credits the whole server may spend per UTC day (0 stops generating)',
  'discord.command.imagine-admin.budget.monthly':
    'Credits the whole server may spend per calendar month (UTC)',
  'discord.command.imagine-admin.budget.reset': "Go back to the operator's cap",
  'discord.command.imagine-admin.budget.reset.daily': 'daily',
  'discord.command.imagine-admin.budget.reset.monthly': 'monthly',
  'discord.command.imagine-admin.budget.reset.both': 'both',
  'discord.command.imagine-admin.channels':
    'Choose the channels where /imagine works (replaces the list)',
  'discord.command.imagine-admin.channels.mode':
    'all: everywhere; allow: only these; deny: all but these',
  'discord.command.imagine-admin.channels.mode.all': 'all',
  'discord.command.imagine-admin.channels.mode.allow': 'allow',
  'discord.command.imagine-admin.channels.mode.deny': 'deny',
  'discord.command.imagine-admin.channels.channel': 'A channel for the list',
  'discord.command.imagine-admin.channels.channel.another': 'Another channel',
  'discord.command.imagine-admin.roles':
    'Only members with one of these roles may generate (none: everyone)',
  'discord.command.imagine-admin.roles.role': 'A role allowed to generate',
  'discord.command.imagine-admin.roles.role.another': 'Another role',
  'discord.command.imagine-admin.role-credits':
    "Set a role's daily credits per member (highest role applies)",
  'discord.command.imagine-admin.role-credits.role': 'The role',
  'discord.command.imagine-admin.role-credits.daily':
    'Credits per member per day (leave empty to remove)',
  'discord.command.imagine-admin.blocklist':
    'Block prompts with a word, phrase or re:regular expression',
  'discord.command.imagine-admin.blocklist.action': 'add, remove, or list the entries',
  'discord.command.imagine-admin.blocklist.action.add': 'add',
  'discord.command.imagine-admin.blocklist.action.remove': 'remove',
  'discord.command.imagine-admin.blocklist.action.list': 'list',
  'discord.command.imagine-admin.blocklist.entry':
    'A word, a phrase, or re: and a regular expression',
  'discord.command.imagine-admin.usage': "Credits spent with a chart, or a member's credits today",
  'discord.command.imagine-admin.usage.user': 'The member (optional)',
  'discord.command.imagine-admin.export': 'Download the audit trail as a CSV file',
  'discord.command.imagine-admin.audit-channel': 'Post each generation as one line in a channel',
  'discord.command.imagine-admin.audit-channel.channel':
    'The channel (leave empty to stop posting)',
  'discord.command.imagine-admin.credits': 'Set how many credits a member may spend per day',
  'discord.command.imagine-admin.credits.user': 'The member',
  'discord.command.imagine-admin.credits.daily':
    'Credits per day (1K costs least; 0 blocks the member)',
} as const;
