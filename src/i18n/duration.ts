import type { Locale } from './locales/index.js';
import { translate } from './translate.js';

const UNITS = [
  { key: 'unit.days', ms: 86_400_000 },
  { key: 'unit.hours', ms: 3_600_000 },
  { key: 'unit.minutes', ms: 60_000 },
  { key: 'unit.seconds', ms: 1_000 },
] as const;

/**
 * A duration as people say it, in at most two units, rounded up so a wait is never understated:
 * "3 h 20 min", "12 days 4 h", "45 s"; "3 小时 20 分钟" in Chinese. Node 20 has no Intl.DurationFormat.
 */
export function formatDuration(ms: number, locale: Locale): string {
  // Whole seconds first (rounded up), so 59.9 s reads "1 min", not "60 s".
  const total = Math.max(1, Math.ceil(ms / 1_000)) * 1_000;
  const largest = UNITS.findIndex((unit) => total >= unit.ms);
  const larger = UNITS[largest]!;
  const smaller = UNITS[largest + 1];
  if (!smaller) return translate(locale, larger.key, { count: Math.ceil(total / larger.ms) });
  // Round up in the smaller unit, then carry.
  const inSmaller = Math.ceil(total / smaller.ms);
  const ratio = larger.ms / smaller.ms;
  const big = Math.floor(inSmaller / ratio);
  const small = inSmaller % ratio;
  const bigText = translate(locale, larger.key, { count: big });
  if (small === 0) return bigText;
  return translate(locale, 'unit.pair', {
    larger: bigText,
    smaller: translate(locale, smaller.key, { count: small }),
  });
}
