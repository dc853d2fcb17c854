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
  // --- core & conversation ---
  // Refusals and errors, by UserError code (src/core/messages.ts, src/conversation/messages.ts).
  // `{count}` picks the plural form; lists arrive joined for the language; `{failMsg}`,
  // `{apiMessage}`, `{value}` and such are outside text, shown as given.
  'error.prompt_empty':
    'Your prompt is empty. Describe the image you want, e.g. `/imagine a red fox in snow`.',
  'error.prompt_too_long':
    'Your prompt is {length} characters; the limit is {max}. Shorten it and try again.',
  /** `{option}` is one of the `option.*` names below. */
  'error.invalid_option': '"{value}" is not a valid {option}. Use one of: {valid}.',
  'error.unknown_option': 'Unknown option {flag}. Options you can use: {known}.',
  'error.missing_option_value': '{flag} needs a value: one of {valid}.',
  'option.resolution': 'resolution',
  'option.aspect_ratio': 'aspect ratio',
  'option.quality': 'quality',
  'option.output_format': 'output format',
  'option.private': 'private setting',
  /** What --image takes, where its valid values would be listed. */
  'option.image_link': 'https://… (a link to a PNG, JPEG or WEBP image)',
  /** `{resetsAt}`: a `reset.*` phrase ("in 3 h 20 min (00:00 UTC)"). */
  'error.quota_exhausted_one':
    'This image costs {count} credit and you have {remaining} left today. Your credits reset {resetsAt}.',
  'error.quota_exhausted_other':
    'This image costs {count} credits and you have {remaining} left today. Your credits reset {resetsAt}.',
  'error.quota_exhausted_cheaper_one':
    'This image costs {count} credit and you have {remaining} left today. Your credits reset {resetsAt}; a lower resolution costs less.',
  'error.quota_exhausted_cheaper_other':
    'This image costs {count} credits and you have {remaining} left today. Your credits reset {resetsAt}; a lower resolution costs less.',
  'error.server_daily_exhausted_one':
    "This image costs {count} credit and the credits this server shares have {remaining} left today. They reset {resetsAt}; until then an admin can raise the server's daily budget.",
  'error.server_daily_exhausted_other':
    "This image costs {count} credits and the credits this server shares have {remaining} left today. They reset {resetsAt}; until then an admin can raise the server's daily budget.",
  'error.server_daily_exhausted_cheaper_one':
    "This image costs {count} credit and the credits this server shares have {remaining} left today. They reset {resetsAt}; until then a lower resolution may fit, or an admin can raise the server's daily budget.",
  'error.server_daily_exhausted_cheaper_other':
    "This image costs {count} credits and the credits this server shares have {remaining} left today. They reset {resetsAt}; until then a lower resolution may fit, or an admin can raise the server's daily budget.",
  'error.server_monthly_exhausted_one':
    "This image costs {count} credit and the credits this server shares have {remaining} left this month. They reset {resetsAt}; until then an admin can raise the server's monthly budget.",
  'error.server_monthly_exhausted_other':
    "This image costs {count} credits and the credits this server shares have {remaining} left this month. They reset {resetsAt}; until then an admin can raise the server's monthly budget.",
  'error.server_monthly_exhausted_cheaper_one':
    "This image costs {count} credit and the credits this server shares have {remaining} left this month. They reset {resetsAt}; until then a lower resolution may fit, or an admin can raise the server's monthly budget.",
  'error.server_monthly_exhausted_cheaper_other':
    "This image costs {count} credits and the credits this server shares have {remaining} left this month. They reset {resetsAt}; until then a lower resolution may fit, or an admin can raise the server's monthly budget.",
  'error.too_many_active_one':
    'You already have {count} image generating. Wait for one to finish, then try again.',
  'error.too_many_active_other':
    'You already have {count} images generating. Wait for one to finish, then try again.',
  'error.api_invalid_request':
    'The image service rejected this request: {apiMessage}. Change the prompt or options and try again.',
  'error.api_unavailable_for_operator':
    'The image service is not accepting this bot right now. The bot operator has been told; please try again later.',
  'error.api_out_of_credits':
    'The bot has run out of image credits with the image service. Your credits were not used; please ask the bot operator to top up.',
  'error.api_task_not_found':
    'The image service lost track of this generation. Your credits were refunded; please try again.',
  'error.api_busy': 'The image service is busy with other images. Please try again in a minute.',
  /** `{failMsg}` when the image API gave no reason for a failure. */
  'error.no_reason': 'the image service gave no reason',
  'error.api_rate_limited':
    'The image service is rate limiting requests. Please try again in about {seconds} seconds.',
  'error.api_unavailable':
    'The image service is having trouble right now. Your credits were refunded; please try again in a few minutes.',
  'error.api_malformed':
    'The image service sent an answer the bot could not read. Your credits were refunded; please try again.',
  /** `{failMsg}` is the image API's own words, shown as it gave them. */
  'error.generation_failed':
    'The image could not be generated: {failMsg}. Your credits were refunded; try rewording the prompt.',
  'error.generation_failed_with_code':
    'The image could not be generated: {failMsg} (code {failCode}). Your credits were refunded; try rewording the prompt.',
  'error.edit_failed':
    'The image could not be made from its source image: {failMsg}. Your credits were refunded; check that the source image is still there and open to anyone, then try again.',
  'error.edit_failed_with_code':
    'The image could not be made from its source image: {failMsg} (code {failCode}). Your credits were refunded; check that the source image is still there and open to anyone, then try again.',
  'error.result_unavailable':
    'The image was generated, but the bot could not fetch it from the image service to show it here. Your credits were refunded; please try again, and if it keeps happening, tell the bot operator.',
  'error.generation_timed_out':
    'The image was not ready after {minutes} minutes, so the bot stopped waiting. Your credits were refunded; please try again.',
  'error.internal':
    'Something went wrong on our side. Please try again; if it keeps happening, give the bot operator this reference: {correlationId}.',
  'error.generation_not_found':
    'I no longer have the details of that image, so I cannot do that. Start a new one with `/imagine`.',
  'error.not_allowed_to_delete':
    'Only the person who asked for this image, or a moderator, can delete it.',
  'error.admin_only': 'Only admins can use the admin commands.',
  'error.admin_usage':
    "Usage: `/imagine admin credits @user 50` sets that person's daily credits (a whole number, 0 or more). The other admin commands:\n`/imagine admin settings`: show this server’s settings\n`/imagine admin budget daily 500` or `budget monthly 10000`: cap the server’s credits (`default` goes back to the operator’s cap)\n`/imagine admin channels allow #art #bots`, `channels deny #general`, `channels all`: where images can be made\n`/imagine admin dms off` (or `on`): whether direct messages with the bot can make images\n`/imagine admin blocklist add <word or re:pattern>`, `blocklist remove <entry>`: block prompts\n`/imagine admin usage` (or `usage @user`), `export`: who spent what, as numbers, a chart and a CSV file\n`/imagine admin audit-channel #channel` (or `off`): post a line there for each image",
  'error.server_only': 'This command works only inside a server, not in direct messages.',
  'error.nothing_to_share':
    'Only finished images can be shared. Wait for the result, then share again.',
  'error.share_not_allowed':
    "You can't post in that channel ({channelId}), so the image can't be shared there. Pick a channel where you can post.",
  'error.share_cannot_post':
    "I can't post in that channel ({channelId}). Ask an admin to let me post there, or pick another channel.",
  'error.share_image_unavailable':
    'That image can no longer be fetched from the image service, so it cannot be shared. Press Reroll to make a new one.',
  'error.too_many_sources':
    'You gave {given} images, but an edit can start from at most {max}. Use fewer and try again.',
  'error.source_not_image':
    '"{name}" is not an image. Use a PNG, JPEG or WEBP image and try again.',
  'error.source_too_large':
    '"{name}" is larger than {maxMb} MB, the most the image service accepts. Use a smaller image and try again.',
  'error.source_not_https':
    'The image link {url} does not start with https://, and the image service fetches only https links. Use an https link to the image.',
  'error.source_unreachable':
    'I could not fetch the image "{name}" ({reason}). Check that the link opens the image for anyone, then try again.',
  // Why a source image could not be fetched (`{reason}` of error.source_unreachable).
  'source.reason.not_a_link': 'that is not a link',
  'source.reason.no_file_access': 'this app cannot open its files',
  'source.reason.http_status': 'it answered HTTP {status}',
  'source.reason.not_public': 'its address is not public',
  'source.reason.timeout': 'it did not answer in time',
  'source.reason.unreachable': 'it could not be reached',
  /** `{code}`: the system's error code, e.g. ENOENT. */
  'source.reason.unreadable_file': 'the file could not be read ({code})',
  'error.sources_not_set_up':
    'Editing images uploaded here is not set up on this bot yet: its operator has to set PUBLIC_URL. Meanwhile you can edit an image from a public https link.',
  'error.no_image_on_message':
    'That message has no image to edit. Use "Edit image" on a message with a PNG, JPEG or WEBP image.',
  'error.edit_draft_expired':
    'That edit was not finished in time and has expired. Use "Edit image" on the message again.',
  'error.not_your_edit': 'Only the person who started this edit can finish it.',
  'error.nothing_to_edit':
    'Only finished images can be edited, varied or upscaled. Wait for the result, then try again.',
  'error.result_image_gone':
    'That image can no longer be fetched from the image service, so it cannot be edited, varied or upscaled. Press Reroll to make a new one.',
  'error.already_largest':
    'This image is already 4K, the largest size there is. Use Edit or Vary to change it instead.',
  /** `{channelIds}`: the allowed channels, joined for the language. */
  'error.channel_not_allowed':
    'Image generation is not enabled in this channel. Use it in one of these channels: {channelIds}.',
  'error.channel_not_allowed_none':
    'Image generation is turned off in this channel. Use it in another channel of this server.',
  'error.no_channel_allowed':
    'Image generation is not enabled in any channel of this server right now. Ask an admin to allow a channel.',
  'error.dms_not_allowed':
    'Image generation is not available in direct messages here. Use it in a channel of the server.',
  'error.role_not_allowed':
    'Only members with one of these roles can generate images here: {roleIds}. Ask an admin for one of them.',
  'error.prompt_blocked':
    'A rule of this server blocks that prompt, so no image was made and no credits were used. Reword it and try again.',
  'error.prompt_blocked_by_bot':
    "A rule of this bot's operator blocks that prompt, so no image was made and no credits were used. Reword it and try again.",
  'error.blocklist_entry_invalid':
    'The blocklist entry "{entry}" was not saved: {reason}. Fix it and try again.',
  /** `{list}`: one of the `settings.list.*` names below. */
  'error.settings_list_too_long':
    'The {list} list can hold at most {max} entries. Remove some and try again.',
  'error.settings_credits_invalid':
    '{value} is not a valid {setting}: use a whole number of credits, 0 or more.',
  'error.admin_option_missing':
    'That admin command needs "{option}" too. Fill it in and try again.',
  'error.settings_id_invalid':
    '"{id}" is not a channel or role id. Pick the channel or role from the list and try again.',
  'error.unknown_command':
    '"{typed}" is not a command here. Type `/imagine` and a prompt (e.g. `/imagine a red fox`), or `/imagine help` to see everything.',
  // When credits come back: relative for the reader, absolute for anyone comparing notes.
  // Waiting, the same on every platform: a stopwatch reading and where the job stands.
  'elapsed.seconds': '{seconds} s',
  /** `seconds` comes padded to two digits. */
  'elapsed.minutes': '{minutes} min {seconds} s',
  'status.queued': 'Queued…',
  'status.queuedAt': 'Queued: position {position} in line',
  'status.generating': 'Generating…',
  'status.generatingFor': 'Generating… {elapsed}',
  // What a result was made from, the same on every platform.
  'lineage.editedFrom': 'Edited from {prompt}',
  'lineage.variationOf': 'Variation of {prompt}',
  'lineage.upscaledFrom': 'Upscaled to {resolution} from {prompt}',
  'lineage.from': 'From {names}',
  /** A prompt quoted inside a sentence. */
  'quote.prompt': '“{text}”',
  'list.separator': ', ',
  'reset.day': 'in {duration} (00:00 UTC)',
  'reset.month': 'in {duration} (00:00 UTC on {date})',
  /** The Intl locale whose date form `reset.month` uses ("1 January"): a BCP 47 tag, not words. */
  'reset.date_locale': 'en-GB',
  // Help and pricing (src/conversation/handlers/help.ts, pricing.ts); platforms write the syntax.
  'help.command.generate':
    'Make an image, e.g. `/imagine a red fox in snow --ar 16:9 --res 2K --quality high --format png --private`.',
  'help.command.help': 'This help.',
  'help.command.quota': 'Your credits left today, when they reset, and your images in progress.',
  'help.command.history': 'Your last {limit} generations, with links to the images.',
  'help.command.admin':
    "Admins: the server's credit budgets, where and who may make images, blocked words, each person's daily credits, and a usage report with a chart and a CSV export.",
  'help.action.reroll': 'the same prompt and options again',
  'help.action.edit': 'say what to change in this image',
  'help.action.vary': 'a variation of this image, same prompt',
  'help.action.upscale': 'this image at the next size (1K → 2K → 4K)',
  'help.action.share': 'post it in a channel you pick',
  'help.action.delete': 'remove it (yours, or as a moderator)',
  'help.option.private': 'only you see it',
  'help.option.image':
    'an https link to an image to start from; up to 3, the prompt says what to change',
  'pricing.editing':
    "Edit, Vary and Upscale cost what a new image of the result's size costs (Upscale: the next size up).",
  // What `settings_credits_invalid` and `settings_list_too_long` name.
  'settings.setting.daily_server_budget': 'daily server budget',
  'settings.setting.monthly_server_budget': 'monthly server budget',
  'settings.setting.role_allowance': 'role allowance',
  'settings.list.channel': 'channel',
  'settings.list.role': 'role',
  'settings.list.blocklist': 'blocklist',
  'settings.list.regular_expression': 'regular expression',
  // Why a blocklist entry is refused (`{reason}` of error.blocklist_entry_invalid; also the
  // operator's start-up line for PROMPT_BLOCKLIST_FILE). `{detail}`: the JavaScript engine's words.
  'rule.regex_empty': 'the regular expression after re: is empty',
  'rule.regex_too_long': 'a regular expression can be at most {max} characters',
  'rule.regex_invalid': 'it is not a valid regular expression ({detail})',
  'rule.back_references':
    'back-references (\\1, \\k<name>) are not allowed, as they can make matching very slow',
  'rule.unbounded':
    'it repeats without a bound (*, + or {n,}), which can make matching very slow on a long prompt; give the repetition a bound, e.g. \\s{1,3} instead of \\s+',
  'rule.nested':
    'a repeated group may not itself contain a repetition or a choice (like (a{1,3}){2} or (a|b){2}), as it can make matching very slow; repeat a character class instead, e.g. [ab]{1,6}',
  'rule.too_many_ways':
    'its repetitions and choices together allow more than {max} ways to match at each place; use smaller bounds or fewer optional parts',
  'rule.entry_too_long': 'an entry can be at most {max} characters',
  'rule.no_word': 'it has no word to match',
  // --- end core & conversation ---
  // --- cli ---
  // `npm run generate`: its reader is the operator, so the words say what to fix.
  'cli.usage':
    'Usage: npm run generate -- "a red fox in snow" [--ar 16:9] [--res 1K|2K|4K] [--quality auto|low|medium|high] [--format png|jpeg|webp] [--image PATH_OR_URL]… [--out ./images]\n\nGenerates an image with the AI GPT Image API using the bot\'s own core, saves it to --out and\nprints the file paths. Needs AIGPTIMAGE_API_KEY (and AIGPTIMAGE_BASE_URL for a proxy or the fake API).\n\n--image starts from an image instead (up to three; PNG, JPEG or WEBP, at most 30 MB each) and the\nprompt says what to change. An https link is sent as it is; a local file is served to the API by\nthis command while the task runs, which needs PUBLIC_URL (the https address reaching HTTP_PORT on\nthis machine) unless the API itself is on this machine.\n\n{exitCodes}',
  'cli.exitCodes':
    'Exit codes: 0 saved; 1 other failure (timed out, could not save); 2 bad arguments or configuration;\n3 AIGPTIMAGE_API_KEY rejected; 4 no credits left on the API account; 5 API unreachable or failing;\n6 prompt or options refused by the API; 130 interrupted.',
  'cli.outNeedsFolder': '--out needs a folder, e.g. --out ./images',
  'cli.imageNeedsValue': '--image needs a file or an https link, e.g. --image ./cat.png',
  'cli.progress.sending': 'sending',
  'cli.progress.queued': 'queued',
  'cli.progress.queuedAt': 'queued at the image API (position {position})',
  'cli.progress.generating': 'generating',
  /** On a terminal: the spinner, the step, the seconds so far; one line per step when piped. */
  'cli.progress.live': '{step}… {seconds} s',
  'cli.progress.line': '{step}… ({seconds} s)',
  'cli.interrupted': 'Interrupted; the task may still finish on the API side.',
  'cli.notFinished': 'The generation did not finish.',
  'cli.done': 'Done in {seconds} s (task {taskId}).',
  'cli.saveFailed': 'Could not save image {index} ({reason}).',
  'cli.saveFailedAt': 'Could not save image {index} ({reason}); it is at:',
  'cli.failed': 'Failed: {reason}',
  'cli.keyRejected':
    'The image API rejected the key ({status}): check AIGPTIMAGE_API_KEY (in .env or the environment) against the API Keys page of aigptimage.com.',
  'cli.noCredits':
    'The image API account has no credits left ({status}): top up the balance on aigptimage.com, then try again.',
  'cli.unreachable':
    "Could not reach the image API at {baseUrl} ({reason}): check this machine's network and DNS, and AIGPTIMAGE_BASE_URL if you use a proxy.",
  'cli.apiFailing':
    'The image API at {baseUrl} kept failing ({reason}): try again in a few minutes; check AIGPTIMAGE_BASE_URL if you use a proxy.',
  'cli.requestRefused':
    'The image API refused the request ({status}): {apiMessage}. Change the prompt or options and try again.',
  /** `failCode` is empty, or " (failCode …)". */
  'cli.sourceFailed':
    "The image API could not make the image from its source: {failMsg}{failCode}. Check that every --image is reachable by the API (a local file needs PUBLIC_URL to reach this machine's HTTP_PORT) and try again.",
  'cli.promptRefused':
    'The image API refused the prompt: {failMsg}{failCode}. Reword the prompt and try again.',
  'cli.failCode': ' (failCode {failCode})',
  /** `task` is empty, or " (task …)". */
  'cli.task': ' (task {taskId})',
  'cli.timedOut':
    'The task did not finish in time{task}; the API may still complete it. Try again later.',
  'cli.resultUnavailable':
    'The image was generated{task} but could not be downloaded from its URL; if AIGPTIMAGE_BASE_URL or FETCH_ALLOW_HOSTS point at a private address, check them.',
  'cli.generationFailed': 'The generation failed ({code}){task}.',
  'cli.sourcesNotSetUp':
    'A local image must be served to the image API from this machine: set PUBLIC_URL to the https address that reaches port {port} here (HTTP_PORT), or pass the image as an https link.',
  'cli.sourceRefused': '{reason} (nothing was sent to the image API)',
  // --- slack ---
  'error.slack_not_in_channel':
    "I can't post in this conversation, so your image will come to you privately in our DM. To get images here, invite me with `/invite @{botName}`.",
  'error.slack_share_not_in_channel':
    "I can't post in that channel. Invite me there with `/invite @{botName}`, then share again.",
  'error.slack_rate_limited':
    'Slack is limiting how fast I can post right now. Please try again in about {seconds} seconds.',
  'error.slack_settings_not_a_number':
    '"{value}" is not a number of credits. Type a whole number, 0 or more, or leave it empty for the operator\'s default.',
  'error.slack_api_error':
    'Slack refused the request ({error}). Please try again; if it keeps happening, tell the bot operator.',
  'slack.error.not_allowed_to_delete':
    'Only the person who asked for this image, or a workspace admin, can delete it.',
  'slack.error.admin_usage':
    "Usage: `/imagine admin credits @user 50` sets that person's daily credits (a whole number, 0 or more). The other admin commands:\n`/imagine admin settings`: show this workspace’s settings\n`/imagine admin budget daily 500` or `budget monthly 10000`: cap the workspace’s credits (`default` goes back to the operator’s cap)\n`/imagine admin channels allow #art #bots`, `channels deny #general`, `channels all`: where images can be made\n`/imagine admin dms off` (or `on`): whether direct messages with the bot can make images\n`/imagine admin blocklist add <word or re:pattern>`, `blocklist remove <entry>`: block prompts\n`/imagine admin usage` (or `usage @user`), `export`: who spent what, as numbers, a chart and a CSV file\n`/imagine admin audit-channel #channel` (or `off`): post a line there for each image\nThe same settings and reports are under *Workspace controls* in my App Home.",
  'slack.error.admin_only':
    "Only workspace admins and owners (and members the bot's operator named) can use the admin commands.",
  'slack.error.share_not_allowed':
    "You're not a member of that channel, so the image can't be shared there. Join it first, or pick a channel you're in.",
  'slack.error.channel_not_allowed':
    'Image generation is not enabled in this channel. Use `/imagine` in {channels}.',
  'slack.error.channel_not_allowed_none':
    'Image generation is turned off in this channel. Use `/imagine` in another channel of this workspace.',
  'slack.error.no_channel_allowed':
    'Image generation is not enabled in any channel of this workspace right now. Ask a workspace admin to allow one.',
  'slack.error.dms_not_allowed':
    'Image generation is turned off in direct messages in this workspace. Use `/imagine` in a channel instead.',
  'slack.error.prompt_blocked':
    'A rule of this workspace blocks that prompt, so no image was made and no credits were used. Reword it and try again.',
  'slack.error.server_daily_exhausted_one':
    "This image costs {count} credit and the credits this workspace shares have {remaining} left today. They reset {resetsAt}; until then a workspace admin can raise the workspace's daily budget.",
  'slack.error.server_daily_exhausted_other':
    "This image costs {count} credits and the credits this workspace shares have {remaining} left today. They reset {resetsAt}; until then a workspace admin can raise the workspace's daily budget.",
  'slack.error.server_daily_exhausted_cheaper_one':
    "This image costs {count} credit and the credits this workspace shares have {remaining} left today. They reset {resetsAt}; until then a lower resolution may fit, or a workspace admin can raise the workspace's daily budget.",
  'slack.error.server_daily_exhausted_cheaper_other':
    "This image costs {count} credits and the credits this workspace shares have {remaining} left today. They reset {resetsAt}; until then a lower resolution may fit, or a workspace admin can raise the workspace's daily budget.",
  'slack.error.server_monthly_exhausted_one':
    "This image costs {count} credit and the credits this workspace shares have {remaining} left this month. They reset {resetsAt}; until then a workspace admin can raise the workspace's monthly budget.",
  'slack.error.server_monthly_exhausted_other':
    "This image costs {count} credits and the credits this workspace shares have {remaining} left this month. They reset {resetsAt}; until then a workspace admin can raise the workspace's monthly budget.",
  'slack.error.server_monthly_exhausted_cheaper_one':
    "This image costs {count} credit and the credits this workspace shares have {remaining} left this month. They reset {resetsAt}; until then a lower resolution may fit, or a workspace admin can raise the workspace's monthly budget.",
  'slack.error.server_monthly_exhausted_cheaper_other':
    "This image costs {count} credits and the credits this workspace shares have {remaining} left this month. They reset {resetsAt}; until then a lower resolution may fit, or a workspace admin can raise the workspace's monthly budget.",
  'slack.list.or': '{rest} or {last}',
  'slack.status.private': 'Generating your image privately…',
  'slack.status.afterNotice': 'Generating your image…',
  'slack.job.requestedBy': 'requested by {user}',
  'slack.job.doneIn': 'done in {elapsed}',
  'slack.job.refunded': 'credits refunded',
  'slack.job.resultText': 'Image for: {prompt}',
  'slack.job.failedText': 'Image failed: {message}',
  'slack.job.privateReadyText': 'Your image is ready in our DM.',
  'slack.job.privateReady':
    ':frame_with_picture: Your image is ready, privately, in {dm}. Share it with a channel when you like.',
  'slack.job.sharedByText': 'Image shared by {user}',
  'slack.job.sharedBy': 'Shared by {user}',
  'slack.button.reroll': 'Reroll',
  'slack.button.edit': 'Edit',
  'slack.button.vary': 'Vary',
  'slack.button.upscale': 'Upscale',
  'slack.button.share': 'Share',
  'slack.button.delete': 'Delete',
  'slack.button.retry': 'Try again',
  'slack.modal.cancel': 'Cancel',
  'slack.generate.title': 'Generate image',
  'slack.generate.submit': 'Generate',
  'slack.generate.prompt': 'Prompt',
  'slack.generate.promptPlaceholder': 'A red fox in fresh snow, morning light',
  'slack.generate.images': 'Start from images',
  'slack.generate.imagesHint':
    'Up to three PNG, JPEG or WEBP images; the prompt says what to change.',
  'slack.generate.aspectRatio': 'Aspect ratio',
  'slack.generate.modelDefault': 'Model default',
  'slack.generate.resolution': 'Resolution',
  'slack.generate.cost_one': '{resolution} ({count} credit)',
  'slack.generate.cost_other': '{resolution} ({count} credits)',
  'slack.generate.channel': 'Post the result in',
  'slack.generate.channelHint': 'Leave empty to get the image privately in your DM with me.',
  'slack.edit.title': 'Edit image',
  'slack.edit.submit': 'Edit',
  'slack.edit.editingResult': 'Editing “{prompt}” ({resolution})',
  'slack.edit.editingFile': 'Editing {name}',
  'slack.edit.theImage': 'the image',
  'slack.edit.imageAlt': 'the image to edit',
  'slack.edit.whatToChange': 'What to change',
  'slack.edit.placeholder': 'Make it night, with the moon behind the trees',
  'slack.edit.cost_one': 'Costs {count} credit. {editing}',
  'slack.edit.cost_other': 'Costs {count} credits. {editing}',
  'slack.pick.title': 'Which image?',
  'slack.pick.question': 'This message has several images. Which one do you want to edit?',
  'slack.pick.image': 'Image {number}',
  'slack.pick.button': 'Edit this one',
  'slack.share.title': 'Share image',
  'slack.share.submit': 'Share',
  'slack.share.to': 'Share to',
  'slack.file.inDm': 'The file {name} is in your direct messages with me.',
  'slack.usage.chartAlt': 'Credits spent per day over the last 30 days, and the top users',
  'slack.help.usage.admin':
    '/imagine admin credits @user 50 (or settings, usage, export, budget, channels, dms, blocklist, audit-channel)',
  'slack.help.title': '*Make images with `/imagine`*',
  'slack.help.openForm': '• `/imagine` with nothing after it opens a form with a channel picker.',
  'slack.help.options': '*Options:* {options}',
  'slack.help.fileInput':
    '• `/imagine` with nothing after it has a file input: start from up to three of your images.',
  'slack.help.editImage': '• *Edit image* in a message’s menu (⋯) edits an image posted there.',
  'slack.help.buttons': '*Buttons on a result:*',
  'slack.help.failMarker': 'A prompt containing `{marker}` fails on purpose.',
  'slack.pricing.line': 'Credits per new image: {costs}. {editing}',
  'slack.quota.left': 'You have *{remaining} of {daily}* credits left today. They reset {when}.',
  'slack.quota.inProgress_one': 'In progress: {count} image.',
  'slack.quota.inProgress_other': 'In progress: {count} images.',
  'slack.quota.nothingInProgress': 'Nothing in progress.',
  'slack.usage.person':
    '{user} has used {used} of {daily} credits today ({remaining} left, {inFlight} in progress); they reset {resetsIn}.',
  'slack.history.empty': 'You have no generations yet. Try `/imagine a red fox in snow`.',
  'slack.credits.set': '{user} now has {daily} credits a day.',
  'slack.shared': ':white_check_mark: Shared in {channel}.',
  'slack.date': '{date_short_pretty} at {time}',
  'slack.home.state.queued': ':hourglass_flowing_sand: queued',
  'slack.home.state.submitted': ':hourglass_flowing_sand: starting',
  'slack.home.state.waiting': ':hourglass_flowing_sand: generating',
  'slack.home.state.delivering': ':outbox_tray: posting',
  'slack.home.state.done': ':white_check_mark: done',
  'slack.home.state.failed': ':warning: failed',
  'slack.home.title': 'Your images',
  'slack.home.credits': '*{remaining} of {daily}* credits left today · resets {when}',
  'slack.home.newImage': 'New image',
  'slack.home.inProgress': '*In progress* ({count})',
  'slack.home.recent': '*Recent*',
  'slack.home.empty': 'No images yet. Type `/imagine a red fox in snow` anywhere.',
  'slack.pool.day':
    '*{remaining} of {limit}* credits left today in this workspace (shared by everyone) · resets {when}',
  'slack.pool.month':
    '*{remaining} of {limit}* credits left this month in this workspace (shared by everyone) · resets {when}',
  'slack.credits_one': '{count} credit',
  'slack.credits_other': '{count} credits',
  'slack.usage.noFinished': 'no finished generations',
  'slack.usage.failureRate': 'failure rate {percent}%',
  'slack.usage.period_one':
    '*{label}*: {credits} · {count} generation ({succeeded} succeeded, {failed} failed) · {refused} refused · {rate}',
  'slack.usage.period_other':
    '*{label}*: {credits} · {count} generations ({succeeded} succeeded, {failed} failed) · {refused} refused · {rate}',
  'slack.usage.today': 'Today',
  'slack.usage.month': 'This month',
  'slack.usage.last30': 'Last 30 days',
  'slack.usage.byPerson': '*By person (30 days)*: {rows}',
  'slack.usage.byChannel': '*By channel (30 days)*: {rows}',
  'slack.usage.generatingNow': 'Generating now: {count}.',
  'slack.usage.text': 'Usage in this workspace: {credits} in the last 30 days.',
  'slack.usage.title': 'Usage in this workspace',
  'slack.usage.directMessages': 'direct messages',
  'slack.usage.nobody': 'nobody yet',
  'slack.usage.row': '{name} {credits} ({count} generated)',
  'slack.usage.more': 'and {count} more',
  'slack.usage.exported_one': 'Exported {count} audit record as {name}. {note}',
  'slack.usage.exported_other': 'Exported {count} audit records as {name}. {note}',
  'slack.file.caption': '{name}, as of {when}',
  // --- end slack ---
  // --- slack admin ---
  // Workspace settings (`/imagine admin settings`, App Home's controls, the Edit settings form),
  // the audit channel's lines and why an attached Slack file could not be read.
  /** `{n}` is `count` as typed (a budget of 10000 reads 10000). */
  'slack.admin.credits_one': '{n} credit',
  'slack.admin.credits_other': '{n} credits',
  'slack.admin.budget.daily': 'Daily budget',
  'slack.admin.budget.monthly': 'Monthly budget',
  /** `{label}`: slack.admin.budget.daily or .monthly. */
  'slack.admin.budget.noCap': '{label}: no cap',
  'slack.admin.budget.line': '{label}: {credits}',
  'slack.admin.budget.lineDefault': '{label}: {credits} (operator default)',
  'slack.admin.used.day': 'Used today: {used} of {limit} ({remaining} left), resets {when}',
  'slack.admin.used.month': 'Used this month: {used} of {limit} ({remaining} left), resets {when}',
  'slack.admin.channels.all': 'every channel',
  'slack.admin.channels.only': 'only {channels}',
  'slack.admin.channels.none': 'no channel',
  'slack.admin.channels.except': 'every channel except {channels}',
  'slack.admin.worksIn': 'Generation works in: {rule}',
  'slack.admin.dms.allowed': 'Direct messages with me: allowed',
  'slack.admin.dms.off': 'Direct messages with me: off',
  'slack.admin.auditChannel': 'Audit channel: {channel}',
  'slack.admin.auditNone': 'Audit channel: none',
  /** The end of a blocklist cut to fit Slack's limits. */
  'slack.admin.blocklist.more': '…and {count} more',
  'slack.admin.blocked.none': '*Blocked prompts:* none',
  /** `{n}` is `count` as typed; `{shared}`: entries in the operator's file. */
  'slack.admin.blocked.own_one': '*Blocked prompts:* {n} entry',
  'slack.admin.blocked.own_other': '*Blocked prompts:* {n} entries',
  'slack.admin.blocked.sharedOnly':
    "*Blocked prompts:* none of its own, plus {shared} from the operator's shared file (not listed here)",
  'slack.admin.blocked.ownAndShared_one':
    "*Blocked prompts:* {n} entry, plus {shared} from the operator's shared file (not listed here)",
  'slack.admin.blocked.ownAndShared_other':
    "*Blocked prompts:* {n} entries, plus {shared} from the operator's shared file (not listed here)",
  // What an admin just changed (`{changes}` of slack.admin.saved), joined by slack.list.separator.
  'slack.admin.changed.budgetDefault.daily': 'daily budget back to the operator default',
  'slack.admin.changed.budgetDefault.monthly': 'monthly budget back to the operator default',
  'slack.admin.changed.budget.daily': 'daily budget set to {credits}',
  'slack.admin.changed.budget.monthly': 'monthly budget set to {credits}',
  'slack.admin.changed.channels': 'channels changed',
  'slack.admin.changed.dmsAllowed': 'direct messages allowed',
  'slack.admin.changed.dmsOff': 'direct messages turned off',
  'slack.admin.changed.blocklist': 'blocklist changed',
  'slack.admin.changed.auditOff': 'audit channel turned off',
  'slack.admin.changed.auditOn': 'audit channel set to {channel}',
  'slack.admin.changed.settings': 'settings changed',
  'slack.admin.settings.title': 'Workspace settings',
  'slack.admin.saved': ':white_check_mark: Saved: {changes}.',
  'slack.admin.savedText': 'Workspace settings saved: {changes}.',
  /** Shown escaped: `<entry>` is text, not a Slack link. */
  'slack.admin.howToChange':
    'Change with `/imagine admin budget daily 500` (or `default`), `channels allow #a #b` / `deny #c` / `all`, `dms on|off`, `blocklist add|remove <entry>` (`re:` for a regular expression), `audit-channel #c|off`, or *Edit settings* in my App Home.',
  // The Edit settings form (a modal: its title holds 24 characters, labels and options 75).
  'slack.admin.form.mode.all': 'Every channel',
  'slack.admin.form.mode.allow': 'Only the channels below',
  'slack.admin.form.mode.deny': 'Every channel except those below',
  'slack.admin.form.dmsOption': 'Allow /imagine in direct messages with me',
  'slack.admin.form.noCap': 'no cap',
  'slack.admin.form.daily': 'Daily budget (credits)',
  'slack.admin.form.monthly': 'Monthly budget (credits)',
  'slack.admin.form.hint.daily':
    "Shared by everyone in the workspace, per UTC day. Empty: the operator's default.",
  'slack.admin.form.hint.monthly':
    "Shared by everyone in the workspace, per UTC month. Empty: the operator's default.",
  /** `{operator}`: slack.admin.credits or slack.admin.form.noCap. */
  'slack.admin.form.hint.dailyNow':
    "Shared by everyone in the workspace, per UTC day. Empty: the operator's default (now {operator}).",
  'slack.admin.form.hint.monthlyNow':
    "Shared by everyone in the workspace, per UTC month. Empty: the operator's default (now {operator}).",
  'slack.admin.form.where': 'Where /imagine works',
  'slack.admin.form.channels': 'Channels',
  'slack.admin.form.dms': 'Direct messages',
  'slack.admin.form.blocklist': 'Blocked prompts',
  'slack.admin.form.blocklistHint':
    'One a line: a word or phrase, or re: and a regular expression. Case, accents and invisible characters are ignored.',
  /** Shown escaped. `{entries}`: the number of entries, as typed. */
  'slack.admin.form.blocklistTooLong':
    'The blocklist has {entries} entries, too long to edit here: use `/imagine admin blocklist add <entry>` and `remove <entry>`.',
  'slack.admin.form.audit': 'Audit channel',
  'slack.admin.form.auditHint': 'Each generation is posted there as one line. Empty: none.',
  'slack.admin.form.save': 'Save',
  // App Home's Workspace controls, for admins.
  'slack.admin.home.title': 'Workspace controls',
  'slack.admin.home.blocked': "Blocked prompts: {own} of this workspace's own",
  'slack.admin.home.blockedShared':
    "Blocked prompts: {own} of this workspace's own, {shared} shared by the operator",
  'slack.admin.home.edit': 'Edit settings',
  'slack.admin.home.usage': 'Usage report',
  'slack.admin.home.export': 'Export CSV',
  'slack.admin.home.note': 'The usage chart and the CSV come to you in our direct messages.',
  // One line per generation in the audit channel, in the workspace's language (DEFAULT_LOCALE).
  'slack.audit.accepted': ':inbox_tray: accepted',
  'slack.audit.refused': ':no_entry: refused',
  'slack.audit.succeeded': ':white_check_mark: succeeded',
  'slack.audit.failed': ':warning: failed',
  'slack.audit.inChannel': 'in {channel}',
  'slack.audit.inDm': 'in a direct message',
  'slack.audit.code': 'code {code}',
  'slack.audit.reason': 'reason {reason}',
  'slack.audit.rule': 'rule {rule}',
  // Why a file attached in Slack could not be read (`{reason}` of error.source_unreachable).
  'slack.error.file_unreachable':
    'I could not read the Slack file "{name}" ({reason}). Check that it has not been deleted and that I am in the conversation it was shared in, then try again.',
  'slack.file.reason.notUrl': 'its address is not a URL',
  'slack.file.reason.notSlack': 'it is not a Slack file',
  'slack.file.reason.noAnswer': 'Slack did not answer',
  'slack.file.reason.redirects': 'Slack redirected too often',
  'slack.file.reason.httpStatus': 'Slack answered HTTP {status}',
  // --- end slack admin ---
  // --- playground ---
  /** The language switch shows each language by its own name. */
  'playground.page.languageName': 'English',
  'playground.page.language': 'Language',
  'playground.page.title': 'gpt-image-bot playground',
  'playground.page.subtitle': 'playground',
  'playground.page.viewer': 'You are',
  /** The pretend people in the viewer switch, after their names. */
  'playground.page.person.ada': 'member, the usual daily credits',
  'playground.page.person.ben': 'member, only 3 credits a day',
  'playground.page.person.mo': "moderator, may delete anyone's images",
  'playground.page.channels': 'Channels',
  'playground.page.adminBar': 'Server admin',
  'playground.page.adminIntro': 'You administer this server:',
  'playground.page.adminSettings': 'Settings',
  'playground.page.adminUsage': 'Usage and chart',
  'playground.page.adminExport': 'Export CSV',
  'playground.page.restarted':
    'The playground server restarted. Messages from before the restart are gone: it keeps them only in memory.',
  'playground.page.dismiss': 'Dismiss',
  'playground.page.jump': 'New messages ↓',
  'playground.page.attachedImages': 'Attached images',
  'playground.page.attachTitle': 'Attach up to three images to start from',
  'playground.page.attach': 'Attach images',
  'playground.page.messageLabel': 'Message #{channel} as {user}',
  /** The message box's example: a command as typed, with a prompt in the page's language. */
  'playground.page.placeholder': '/imagine a red fox --ar 16:9 --res 2K',
  'playground.page.send': 'Send',
  /** `code` spans between backticks. */
  'playground.page.hint':
    "Try `/imagine a red fox --ar 16:9 --res 2K`, `/quota`, `/history` or `/imagine help`. Attach or paste an image to start from it. As Mo (the moderator), `/imagine admin` shows the server's settings.",
  'playground.page.noscript': 'The playground needs JavaScript to run.',
  'playground.page.refusedPage':
    'The playground refused this page: if it asks for a token, open the address printed at start (with ?token=…) again.',
  'playground.page.reconnecting': 'Connection lost; reconnecting…',
  'playground.page.refused': 'The playground refused that ({status}).',
  'playground.page.unreachable': 'Could not reach the playground; is `npm start` still running?',
  'playground.page.sharing': 'Sharing…',
  'playground.page.sharedTo': 'Shared to #{channel}',
  'playground.page.notShared': 'Not shared: see the message below',
  'playground.page.notSharedRefused': 'Not shared: the playground refused it',
  /** After the count of unread messages on a channel's button, for screen readers. */
  'playground.page.unread': ' new',
  'playground.page.private': 'Only you can see this',
  'playground.page.sharedBy': 'shared by {sharer} · requested by {requester}',
  'playground.page.usedImagine': '{requester} used /imagine',
  'playground.page.requestedBy': 'requested by {requester}',
  'playground.page.simulatedBadge': 'Simulated',
  'playground.page.imageActions': 'Image actions',
  'playground.page.madeFrom': 'Made from',
  'playground.page.sourceAlt': 'Source image: {name}',
  'playground.page.editPlaceholder': 'What should change? e.g. make it night, add snow',
  'playground.page.edit': 'Edit {name}',
  'playground.page.editingAlt': 'Editing: {name}',
  'playground.page.editWhat': 'What to change in {name}',
  'playground.page.cancel': 'Cancel',
  'playground.page.editImage': 'Edit image',
  /** After the author's name, in bold. */
  'playground.page.posted': ' posted',
  'playground.page.postedBy': 'Images posted by {author}',
  'playground.page.whichImage': 'Which image do you want to edit?',
  'playground.page.imagesToEdit': 'Images to edit',
  'playground.page.pastedImage': 'pasted image',
  'playground.page.imageRefused': 'The playground refused that image ({status}).',
  'playground.page.attachUnreachable':
    'Could not reach the playground to attach the image; is `npm start` still running?',
  'playground.page.remove': 'Remove {name}',
  /** A generating card's status, ticking every second. */
  'playground.page.generating': 'Generating… {elapsed}',
  'playground.page.elapsedSeconds': '{seconds} s',
  /** `seconds` comes padded to two digits. */
  'playground.page.elapsedMinutes': '{minutes} min {seconds} s',
  'playground.page.backend.simulated':
    'Simulated image API: images are placeholders made on this machine',
  'playground.page.backend.real': 'Real image API: generations use your API credits',
  // Cards and answers, rendered by the server in the language of whoever asked.
  'playground.card.altSimulated': 'Simulated placeholder image for the prompt: {prompt}',
  'playground.card.altReal': 'Generated image for the prompt: {prompt}',
  'playground.card.shareTo': 'Share to #{channel}',
  'playground.card.tryAgain': 'Try again',
  'playground.card.delete': 'Delete',
  'playground.card.done': 'Done in {elapsed}',
  'playground.card.queued': 'Queued…',
  'playground.card.queuedAt': 'Queued: position {position} in line',
  'playground.card.generatingNow': 'Generating…',
  'playground.card.reroll': 'Reroll',
  'playground.card.edit': 'Edit',
  'playground.card.vary': 'Vary',
  'playground.card.upscale': 'Upscale',
  'playground.card.share': 'Share',
  // Private answers: help, quota, history, credits.
  'playground.help.title': 'Make images with /imagine:',
  'playground.help.alias': '/imagine {name} (or /{name})',
  'playground.help.history':
    'Your last {size} generations: when, the prompt, the options and how each ended.',
  'playground.help.shareSummary': 'to the other channel',
  /** A button or an option, then what it does. */
  'playground.help.withSummary': '{label} ({summary})',
  'playground.help.options': 'Options: {options}',
  'playground.help.buttons': 'Results have buttons: {buttons}.',
  'playground.help.attach':
    'Attach (＋) or paste up to three PNG, JPEG or WEBP images (30 MB each) beside the message box to start from them; the prompt says what to change. Sent without a prompt, they are posted, and “Edit image” on them edits one.',
  'playground.help.failMarker':
    'Simulated image API: a prompt containing `{marker}` fails the way a refused prompt does.',
  'playground.pricing.line': 'A new image costs {costs}. {editing}',
  'playground.pricing.size_one': '{size} {count} credit',
  'playground.pricing.size_other': '{size} {count} credits',
  'playground.quota.left':
    'You have {remaining} of {daily} credits left today. They reset {resetsIn}.',
  'playground.quota.inProgress_one': 'In progress: {count} image.',
  'playground.quota.inProgress_other': 'In progress: {count} images.',
  'playground.quota.nothingInProgress': 'Nothing in progress.',
  'playground.history.title': 'Your recent generations:',
  'playground.history.empty': 'You have no generations yet. Try `/imagine a red fox in snow`.',
  /** `madeFrom` is empty, or " · " and what an edit was made from. */
  'playground.history.line': '{when} UTC · "{prompt}" · {options} · {outcome}{madeFrom}',
  'playground.history.separator': ' · {text}',
  'playground.history.done': 'done',
  'playground.history.failed': 'failed',
  'playground.history.queued': 'queued',
  'playground.history.submitted': 'submitted',
  'playground.history.waiting': 'waiting',
  'playground.history.delivering': 'delivering',
  'playground.credits.set_one': '{name} now has {count} credit a day; {left} left today.',
  'playground.credits.set_other': '{name} now has {count} credits a day; {left} left today.',
  'playground.credits.usage':
    '{name} used {used} of {daily} credits today ({remaining} left, {inFlight} in progress). They reset {resetsIn}.',
  'playground.edit.cost_one': 'Costs {count} credit, what a new image of its size costs.',
  'playground.edit.cost_other': 'Costs {count} credits, what a new image of its size costs.',
  'playground.error.not_allowed_to_delete':
    'Only the person who asked for this image (or shared this copy), or a moderator, can delete it.',
  'playground.error.admin_only': 'Only moderators can use the admin commands.',
  'playground.directMessages': 'direct messages',
  // The moderator's admin answers.
  'playground.admin.pool.day':
    'This server shares {remaining} of {limit} credits left today (its daily budget); they reset {resetsIn}.',
  'playground.admin.pool.month':
    'This server shares {remaining} of {limit} credits left this month (its monthly budget); they reset {resetsIn}.',
  'playground.admin.credits_one': '{count} credit',
  'playground.admin.credits_other': '{count} credits',
  'playground.admin.budget.day': 'Daily budget',
  'playground.admin.budget.month': 'Monthly budget',
  'playground.admin.budget.noCap': '{name}: no cap.',
  'playground.admin.budget.setHere': 'set here',
  'playground.admin.budget.operatorDefault': "the operator's default, {variable}",
  'playground.admin.budget.use': '; {used} used, {remaining} left, resets {resetsIn}',
  'playground.admin.budget.line': '{name}: {credits} ({source}){use}.',
  'playground.admin.channels.only': 'Channels: only {names}.',
  'playground.admin.channels.none': 'Channels: none (generation is off).',
  'playground.admin.channels.allBut': 'Channels: all but {names}.',
  'playground.admin.channels.all': 'Channels: all.',
  'playground.admin.blocklist.entries_one': '{count} entry: {entries}',
  'playground.admin.blocklist.entries_other': '{count} entries: {entries}',
  'playground.admin.blocklist.empty': 'empty',
  'playground.admin.blocklist.shared_one':
    ", plus {count} entry shared by every server (the operator's file)",
  'playground.admin.blocklist.shared_other':
    ", plus {count} entries shared by every server (the operator's file)",
  'playground.admin.blocklist.line': 'Blocklist: {entries}{shared}.',
  'playground.admin.saved.budgetDefault.day':
    "Saved: the daily budget is back to the operator's default.",
  'playground.admin.saved.budgetDefault.month':
    "Saved: the monthly budget is back to the operator's default.",
  'playground.admin.saved.budget.day': 'Saved: the daily budget is {credits}.',
  'playground.admin.saved.budget.month': 'Saved: the monthly budget is {credits}.',
  'playground.admin.saved.channels': 'Saved: where images can be made.',
  'playground.admin.saved.dmsAllowed': 'Saved: direct messages may make images.',
  'playground.admin.saved.dmsRefused': 'Saved: direct messages may not make images.',
  'playground.admin.saved.blocked': 'Saved: prompts matching {entries} are blocked.',
  'playground.admin.saved.unblocked': 'Saved: {entries} no longer blocks prompts.',
  'playground.admin.saved.auditOff': 'Saved: generations are no longer posted to an audit channel.',
  'playground.admin.saved.auditOn': 'Saved: each generation is posted as one line in {channel}.',
  'playground.admin.saved': 'Saved.',
  'playground.admin.settings.title': 'Settings of this playground server:',
  'playground.admin.settings.audit': 'Audit channel: {channel}.',
  'playground.admin.settings.auditNone': 'none',
  'playground.admin.settings.howTo':
    'Change one with e.g. `/imagine admin budget daily 50`; a mistyped admin command lists them all.',
  'playground.admin.usage.noneFinished': 'none finished',
  'playground.admin.usage.failedRate': '{percent}% failed',
  'playground.admin.generations_one': '{count} generation',
  'playground.admin.generations_other': '{count} generations',
  'playground.admin.usage.period':
    '{label}: {credits}, {generations} ({succeeded} succeeded, {failed} failed, {refused} refused; {rate}).',
  'playground.admin.usage.title': 'Usage of this playground server:',
  'playground.admin.usage.today': 'Today',
  'playground.admin.usage.month': 'This month',
  'playground.admin.usage.last30': 'Last 30 days',
  'playground.admin.usage.nobody': 'nobody yet',
  'playground.admin.usage.topPeople': 'Top people, last 30 days: {list}.',
  'playground.admin.usage.byChannel': 'By channel, last 30 days: {list}.',
  'playground.admin.usage.now': 'Generating now: {count}.',
  'playground.admin.usage.chartAlt':
    'Chart of credits spent per day over the last 30 days ({credits} in all) and by the top people.',
  'playground.admin.export.records_one':
    'The audit trail of this server: {count} record, one line each (when, who, where, prompt, cost, outcome).',
  'playground.admin.export.records_other':
    'The audit trail of this server: {count} records, one line each (when, who, where, prompt, cost, outcome).',
  'playground.admin.export.empty':
    'Nothing is recorded for this server yet; the file holds only the column names.',
  'playground.admin.export.download': 'Download {name}',
  // Audit lines: posted for the server's moderators, in the server's language (DEFAULT_LOCALE).
  'playground.audit.line': 'Audit: {who} in {where} · {prompt} · {cost} · {outcome}{why}',
  'playground.audit.accepted': 'accepted',
  'playground.audit.refused': 'refused',
  'playground.audit.succeeded': 'made',
  'playground.audit.failed': 'failed',
  /** `rule` is empty, or " (rule `…`)". */
  'playground.audit.why': ': {reason}{rule}',
  'playground.audit.rule': ' (rule `{rule}`)',
  // A sent image the playground no longer keeps, refused like a source it cannot fetch.
  'playground.upload.name': 'an attached image',
  'playground.upload.forgotten': 'the playground no longer keeps it; attach it again',
  'playground.upload.image': 'image',
  // The page's HTTP answers, in the browser's language: what a person opening the address reads.
  'playground.access.wrongHost':
    'The playground answers only requests addressed to this machine: open {url} (Set PLAYGROUND=true to run it beside Discord or Slack; HTTP_HOST and PLAYGROUND_TOKEN let other machines reach it.)',
  'playground.access.localOnly':
    'The playground answers only on this machine. To reach it from others, set HTTP_HOST and PLAYGROUND_TOKEN.',
  'playground.access.crossSite': 'Only the playground page itself may send commands.',
  'playground.access.needsToken':
    'This playground needs its token: open the address the bot printed at start, which ends in ?token=…',
  'playground.access.wrongToken': 'That is not this playground’s PLAYGROUND_TOKEN.',
  'playground.http.imageGone': 'This image is no longer kept by the playground.',
  'playground.http.fileGone':
    'This file is no longer kept by the playground. Ask for the usage or the export again.',
  'playground.http.pageMissing':
    'The playground page files are missing from this build (src/platforms/playground/public/).',
  'playground.card.originalImage': 'the original image',
  'playground.sharePicker': 'Press one of the image’s “Share to #…” buttons to pick the channel.',
  // --- discord ---
  // Command registration: the names people type (`/imagine prompt:`), in each language, and the
  // descriptions and choice labels they read in the command picker. A name: lower case, letters,
  // digits, - and _, at most 32; the bot's Discord answers name commands as the reader's client shows them.
  'discord.name.imagine': 'imagine',
  'discord.name.prompt': 'prompt',
  'discord.name.aspect_ratio': 'aspect_ratio',
  'discord.name.resolution': 'resolution',
  'discord.name.quality': 'quality',
  'discord.name.output_format': 'output_format',
  'discord.name.private': 'private',
  'discord.name.image': 'image',
  'discord.name.image2': 'image2',
  'discord.name.image3': 'image3',
  'discord.name.quota': 'quota',
  'discord.name.history': 'history',
  'discord.name.help': 'help',
  'discord.name.imagine-admin': 'imagine-admin',
  'discord.name.settings': 'settings',
  'discord.name.budget': 'budget',
  'discord.name.daily': 'daily',
  'discord.name.monthly': 'monthly',
  'discord.name.reset': 'reset',
  'discord.name.channels': 'channels',
  'discord.name.mode': 'mode',
  'discord.name.channel': 'channel',
  'discord.name.roles': 'roles',
  'discord.name.role': 'role',
  'discord.name.role-credits': 'role-credits',
  'discord.name.blocklist': 'blocklist',
  'discord.name.action': 'action',
  'discord.name.entry': 'entry',
  'discord.name.usage': 'usage',
  'discord.name.user': 'user',
  'discord.name.export': 'export',
  'discord.name.audit-channel': 'audit-channel',
  'discord.name.credits': 'credits',
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
  // Private answers: quota, history, help, sharing, credits and usage.
  'discord.jobState.queued': 'queued',
  'discord.jobState.submitted': 'submitted',
  'discord.jobState.waiting': 'waiting',
  'discord.jobState.delivering': 'delivering',
  'discord.jobState.done': 'done',
  'discord.jobState.failed': 'failed',
  'discord.quota.title': 'Your image credits',
  'discord.quota.leftToday': 'Left today',
  'discord.quota.leftOf': '{remaining} of {daily}',
  'discord.quota.resets': 'Resets',
  'discord.quota.serverToday': 'Server today',
  'discord.quota.serverMonth': 'Server this month',
  /** `{resetsIn}`: "in 3 h 20 min (00:00 UTC)", already in the reader's language. */
  'discord.quota.poolLeft': '{remaining} of {limit} left for everyone here\nResets {resetsIn}',
  'discord.quota.inFlight': 'In flight ({jobs})',
  'discord.quota.nothingInFlight': 'Nothing is generating right now.',
  'discord.quota.inFlightLine': '• {prompt} ({options}, {state})',
  'discord.quota.costs': 'Costs',
  /** `{credits}` is `count` as typed. */
  'discord.pricing.size_one': '{size}: {credits} credit',
  'discord.pricing.size_other': '{size}: {credits} credits',
  'discord.history.title': 'Your recent generations',
  'discord.history.empty': 'You have not generated any images yet. Try `/imagine`.',
  /** Link texts after a generation in the list. */
  'discord.history.image': 'image',
  'discord.history.message': 'message',
  'discord.history.failed': 'failed, refunded',
  'discord.help.title': '**Make images with `/imagine`**',
  'discord.help.options': '**Options of /imagine:** {options}',
  'discord.help.images':
    '`image`, `image2`, `image3`: start from up to three of your own images; the prompt says what to change.',
  'discord.help.editImage': '**Edit image** in a message’s Apps menu edits an image posted there.',
  'discord.help.buttons': '**Buttons under a result:**',
  'discord.help.costs': '**Costs:** {costs}',
  'discord.help.failMarker': 'A prompt containing `{marker}` fails on purpose.',
  'discord.share.pick': 'Pick the channel to share this image in:',
  'discord.share.choose': 'Choose a channel',
  'discord.share.done': 'Shared in {channel}.',
  /** `{daily}` is `count` as typed. */
  'discord.credits.set_one': '{person} now has {daily} credit a day; {remaining} left today.',
  'discord.credits.set_other': '{person} now has {daily} credits a day; {remaining} left today.',
  'discord.usage.generating_one':
    '{images} image is generating across the bot right now. Name a user to see their credits.',
  'discord.usage.generating_other':
    '{images} images are generating across the bot right now. Name a user to see their credits.',
  'discord.usage.person': '{person} has used {used} of {daily} credits today ({remaining} left).',
  'discord.usage.now': 'Generating now: {inFlight}. Credits reset {resetsIn}.',
  // The edit form (a modal: its title and label hold 45 characters) and the image picker.
  /** `{credits}` is `count` as typed. */
  'discord.editForm.title_one': 'Edit image ({credits} credit)',
  'discord.editForm.title_other': 'Edit image ({credits} credits)',
  'discord.editForm.label': 'What should change?',
  'discord.editForm.description': 'Costs what a new image of the result’s size costs.',
  'discord.editForm.placeholder': 'e.g. make it night, add a red scarf, turn it into a watercolour',
  'discord.picker.question': 'Which image should be edited?',
  'discord.picker.placeholder': 'Choose an image',
  /** An image without a file name, by its place on the message. */
  'discord.picker.unnamed': 'Image {number}',
  // /imagine-admin answers: settings, usage report, export.
  /** `{n}` is `count` as typed. */
  'discord.admin.credits_one': '{n} credit',
  'discord.admin.credits_other': '{n} credits',
  'discord.admin.generations_one': '{n} generation',
  'discord.admin.generations_other': '{n} generations',
  'discord.admin.records_one': '{n} record',
  'discord.admin.records_other': '{n} records',
  'discord.admin.entries_one': '{n} entry',
  'discord.admin.entries_other': '{n} entries',
  /** The end of a list cut to fit. */
  'discord.admin.andMore': '… and {more} more',
  'discord.admin.noCap': 'No cap',
  /** Right after a budget ("500 credits"). */
  'discord.admin.operatorDefault': ' (operator default)',
  'discord.admin.poolUse': '{used} used, {remaining} left · resets {resetsIn}',
  'discord.admin.everyChannel': 'Every channel',
  'discord.admin.everyChannelExcept': 'Every channel except {channels}',
  'discord.admin.noChannel': 'No channel: generation is off until you allow one',
  'discord.admin.onlyIn': 'Only in {channels}',
  'discord.admin.everyone': 'Everyone',
  'discord.admin.membersWith': 'Members with {roles}',
  'discord.admin.allowance': '{role}: {credits} a day',
  'discord.admin.noAllowances': 'None: members get their own daily credits',
  'discord.admin.sharedBlocklist': "The operator's shared list adds {entries} for every server.",
  'discord.admin.blocklistEmpty': '**Blocklist**: empty. {shared}',
  'discord.admin.blocklist': '**Blocklist** ({entries}):',
  /** What was changed, inside `discord.admin.saved`. */
  'discord.admin.changed.budget': 'the budget',
  'discord.admin.changed.channels': 'where /imagine works',
  'discord.admin.changed.dms': 'direct messages',
  'discord.admin.changed.roles': 'who may generate',
  'discord.admin.changed.roleAllowance': "the role's daily credits",
  'discord.admin.changed.blocklist': 'the blocklist',
  'discord.admin.changed.auditChannel': 'the audit channel',
  'discord.admin.changed.settings': 'the settings',
  'discord.admin.saved': 'Saved {what}. This is how the server stands now:',
  'discord.admin.settingsTitle': 'Image settings for this server',
  'discord.admin.dailyBudget': 'Daily budget',
  'discord.admin.monthlyBudget': 'Monthly budget',
  'discord.admin.where': 'Where /imagine works',
  'discord.admin.who': 'Who may generate',
  'discord.admin.roleAllowances': 'Role allowances',
  'discord.admin.auditChannel': 'Audit channel',
  'discord.admin.off': 'Off',
  'discord.admin.noneFinished': 'none finished',
  'discord.admin.failedShare': '{percent}% failed',
  'discord.admin.refused': '{refused} refused',
  'discord.admin.directMessages': 'Direct messages',
  'discord.admin.nobodyYet': 'Nobody yet',
  /** `{failed}` is empty or `discord.admin.failedCount`. */
  'discord.admin.topRow': '{rank}. {who}: {credits}, {generations}{failed}',
  'discord.admin.failedCount': ' ({failed} failed)',
  'discord.admin.usageTitle': 'Image usage in this server',
  'discord.admin.usageDescription':
    'Credits spent are those of finished images (failed ones are refunded). Generating now: {generating}.',
  'discord.admin.today': 'Today (UTC)',
  'discord.admin.thisMonth': 'This month',
  'discord.admin.last30Days': 'Last 30 days',
  'discord.admin.topMembers': 'Top members (30 days)',
  'discord.admin.topChannels': 'Top channels (30 days)',
  'discord.admin.export':
    "This server's audit trail: {records}, in the attached {file}. It opens in any spreadsheet.",
  // Discord's wording of the conversation's refusals (its permission names, <#channel> mentions).
  /** After 20 mentions: `{list}` the first 20, `{count}` how many more. */
  'discord.list.andMore': '{list} and {count} more',
  'discord.error.not_allowed_to_delete':
    'Only the person who asked for this image, or someone with Manage Messages in this channel, can delete it.',
  // The conversation's sentences that name /imagine, as Discord's client names it in each language.
  'discord.error.prompt_empty':
    'Your prompt is empty. Describe the image you want, e.g. `/imagine a red fox in snow`.',
  'discord.error.generation_not_found':
    'I no longer have the details of that image, so I cannot do that. Start a new one with `/imagine`.',
  'discord.error.admin_only':
    'Only members with the Manage Server permission can use `/imagine-admin`.',
  'discord.error.share_not_allowed':
    "You can't send messages in {channel}, so the image can't be shared there. Pick a channel where you can post.",
  'discord.error.share_cannot_post':
    "I can't post in {channel}. Ask a server admin to let me send messages there, or pick another channel.",
  'discord.error.channel_not_allowed_single':
    'Image generation is not enabled in this channel. Use `/imagine` in {channel}.',
  'discord.error.channel_not_allowed_several':
    'Image generation is not enabled in this channel. Use `/imagine` in one of these channels: {channels}.',
  'discord.error.channel_turned_off':
    'Image generation is turned off in this channel. Use `/imagine` in another channel of this server.',
  'discord.error.role_not_allowed_single':
    'Only members with the {role} role can generate images here. Ask a server admin for it.',
  'discord.error.role_not_allowed_several':
    'Only members with one of these roles can generate images here: {roles}. Ask a server admin for one of them.',
  /** `{option}` is the option's name, as typed. */
  'discord.error.admin_option_missing':
    '`/imagine-admin blocklist` needs an `{option}` to add or remove: a word, a phrase, or `re:` and a regular expression.',
  'discord.error.nothing_to_share':
    'Only finished images can be shared. Wait for the result, then press Share again.',
  /** Why a result shows the image service's link instead of an upload. */
  'discord.link.notUploaded':
    "The image could not be uploaded to Discord, so it is shown from the image service's link.",
  'discord.link.overDiscordLimit':
    "The image is larger than Discord's upload limit here, so it is shown from the image service's link.",
  'discord.link.overLimit':
    "The image is larger than the {limit} upload limit here, so it is shown from the image service's link.",
  /** An admin's report file (chart, CSV) over the server's upload limit. */
  'discord.tooLargeToAttach':
    "{name} is {size}, over the {limit} Discord lets the bot upload in this server, so it could not be attached. Ask the bot's operator for the audit records; the bot keeps them for JOB_RETENTION_DAYS days.",
  /** Share where the bot is not a member (someone's own install of the app). */
  // Job messages: status, result, failure and shared copies.
  'discord.job.options': 'Options',
  'discord.job.requestedBy': 'Requested by',
  'discord.job.timeTaken': 'Time taken',
  'discord.job.note': 'Note',
  'discord.job.madeFrom': 'Made from',
  'discord.job.prompt': 'Prompt',
  'discord.job.createdBy': 'Created by',
  'discord.job.sharedBy': 'Shared by',
  /** A link to the image an edit, variation or upscale started from. */
  'discord.job.earlierImage': 'the earlier image',
  /** `prompt` comes quoted (“…”). */
  'discord.job.failedTitle': 'The image could not be generated',
  'discord.job.refunded': 'Your credits were refunded.',
  /** After the requester's mention, when a late result is posted as a new message. */
  'discord.delivery.ready': 'your image is ready.',
  'discord.delivery.failed': 'your image could not be generated.',
  'discord.button.reroll': 'Reroll',
  'discord.button.edit': 'Edit',
  'discord.button.vary': 'Vary',
  'discord.button.upscale': 'Upscale',
  'discord.button.share': 'Share',
  'discord.button.delete': 'Delete',
  'discord.button.tryAgain': 'Try again',
  'discord.share.botNotHere':
    "I'm not a member of this server or conversation, so I can't post the image to a channel here. Save the image and post it yourself, or ask a server admin to add the bot.",
  // --- audit & chart ---
  /** One generation in a Discord server's audit channel, in the server's language. */
  'discord.audit.line': '{mark} {time} {who}{where}: “{prompt}”',
  'discord.audit.where': ' in {channel}',
  'discord.audit.credits_one': '{count} credit',
  'discord.audit.credits_other': '{count} credits',
  'discord.audit.accepted': 'accepted',
  'discord.audit.succeeded': 'succeeded',
  'discord.audit.failed': 'failed',
  /** `{code}`: the API's failCode or the bot's error code, as it is. */
  'discord.audit.failedCode': 'failed ({code})',
  /** `{reason}`: the refusal's code (quota_exhausted, prompt_blocked, …), as it is. */
  'discord.audit.refused': 'refused ({reason}{rule})',
  'discord.audit.rule': ', rule {rule}',
  'discord.audit.unknownReason': 'unknown',
  /** The usage chart's words, drawn with a Latin-only bitmap font (see audit.chart.caption). */
  'audit.chart.title': 'Credits per day, last 30 days (UTC)',
  'audit.chart.total': 'Total {credits}',
  'audit.chart.empty': 'No credits spent in the last 30 days',
  'audit.chart.topUsers': 'Top users, last 30 days',
  'audit.chart.nobody': 'Nobody yet',
  /** Beside the chart, for a language whose letters the chart cannot draw (its words stay English). */
  'audit.chart.caption':
    'The chart: credits spent per UTC day over the last 30 days (bars), then the top users of those 30 days.',
  // --- end audit & chart ---
} as const;
