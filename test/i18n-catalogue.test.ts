import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  LOCALES,
  resolveLocale,
  SUPPORTED_LOCALES,
  translate,
} from '../src/i18n/index.js';

const PLURAL = /_(zero|one|two|few|many|other)$/;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

/** English's keys as code asks for them, each with its placeholders (plural forms merged). */
function englishBases(): Map<string, string[]> {
  const bases = new Map<string, string[]>();
  for (const [key, text] of Object.entries(LOCALES.en)) {
    const base = key.replace(PLURAL, '');
    bases.set(base, [...new Set([...(bases.get(base) ?? []), ...placeholders(text)])].sort());
  }
  return bases;
}

describe('the catalogues', () => {
  for (const locale of SUPPORTED_LOCALES) {
    const messages = LOCALES[locale] as Record<string, string>;
    const forms = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;

    it(`${locale} has every key, in every plural form its language uses, and nothing else`, () => {
      const expected = new Set<string>();
      for (const key of Object.keys(LOCALES.en)) {
        if (PLURAL.test(key))
          for (const form of forms) expected.add(key.replace(PLURAL, `_${form}`));
        else expected.add(key);
      }
      expect(Object.keys(messages).sort()).toEqual([...expected].sort());
    });

    it(`${locale} uses exactly English's placeholders in each message`, () => {
      const bases = englishBases();
      for (const [key, text] of Object.entries(messages)) {
        const base = key.replace(PLURAL, '');
        const wanted = bases.get(base)!.filter((name) => name !== 'count' || !PLURAL.test(key));
        const found = placeholders(text).filter((name) => name !== 'count' || !PLURAL.test(key));
        expect([key, [...new Set(found)].sort()]).toEqual([key, wanted]);
      }
    });
  }
});

describe('translate', () => {
  it('picks the plural form by count and formats numbers for the language', () => {
    expect(translate('en', 'unit.days', { count: 1 })).toBe('1 day');
    expect(translate('en', 'unit.days', { count: 1200 })).toBe('1,200 days');
    expect(translate('zh-CN', 'unit.days', { count: 1 })).toBe('1 天');
  });

  it('inserts outside text as it is, never as a template', () => {
    expect(translate('en', 'unit.pair', { larger: '{smaller}', smaller: 'x' })).toBe('{smaller} x');
  });
});

describe('formatDuration', () => {
  it('says a wait in two units at most, rounded up, in each language', () => {
    expect(formatDuration(3 * 3_600_000 + 20 * 60_000, 'en')).toBe('3 h 20 min');
    expect(formatDuration(3 * 3_600_000 + 20 * 60_000, 'zh-CN')).toBe('3 小时 20 分钟');
    expect(formatDuration(12 * 86_400_000 + 4 * 3_600_000, 'en')).toBe('12 days 4 h');
    expect(formatDuration(45_000, 'en')).toBe('45 s');
    expect(formatDuration(59_001, 'en')).toBe('1 min');
    expect(formatDuration(0, 'en')).toBe('1 s');
  });
});

describe('resolveLocale', () => {
  it('takes the first language the bot speaks, from BCP 47 or POSIX names', () => {
    expect(resolveLocale(['zh-CN'], 'en')).toBe('zh-CN');
    expect(resolveLocale(['zh-TW', 'en-US'], 'en')).toBe('zh-CN');
    expect(resolveLocale(['zh-Hans-SG'], 'en')).toBe('zh-CN');
    expect(resolveLocale(['zh_CN.UTF-8'], 'en')).toBe('zh-CN');
    expect(resolveLocale(['en-GB'], 'zh-CN')).toBe('en');
    expect(resolveLocale(['fr', undefined, 'de-DE'], 'zh-CN')).toBe('zh-CN');
    expect(resolveLocale(['C.UTF-8', 'POSIX', ''], 'en')).toBe('en');
    expect(resolveLocale([null, 'ZH'], 'en')).toBe('zh-CN');
  });
});
