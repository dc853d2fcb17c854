import { formatDuration, translate, type Locale } from '../i18n/index.js';

/**
 * "in 3 h 20 min (00:00 UTC)": relative for the reader, absolute for anyone comparing notes. The
 * hours and minutes are both said once it is an hour or more away ("in 3 h 0 min").
 */
export function describeReset(resetsAt: Date, now: number, locale: Locale = 'en'): string {
  const minutes = Math.max(1, Math.ceil((resetsAt.getTime() - now) / 60_000));
  const inMinutes = translate(locale, 'unit.minutes', { count: minutes % 60 });
  const duration =
    minutes >= 60
      ? translate(locale, 'unit.pair', {
          larger: translate(locale, 'unit.hours', { count: Math.floor(minutes / 60) }),
          smaller: inMinutes,
        })
      : inMinutes;
  return translate(locale, 'reset.day', { duration });
}

/** A month's end is days away: "in 12 days 4 h (00:00 UTC on 1 January)". */
export function describeMonthReset(resetsAt: Date, now: number, locale: Locale = 'en'): string {
  const hours = Math.max(1, Math.ceil((resetsAt.getTime() - now) / 3_600_000));
  if (hours < 24) return describeReset(resetsAt, now, locale);
  const date = new Intl.DateTimeFormat(translate(locale, 'reset.date_locale'), {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
  }).format(resetsAt);
  return translate(locale, 'reset.month', {
    duration: formatDuration(hours * 3_600_000, locale),
    date,
  });
}
