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
} as const;
