import type { Translation } from '../types.js';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';

/** Every language the bot speaks, by BCP 47 tag. Adding one: a file beside these and a line here. */
export const LOCALES = {
  en: en as Translation,
  'zh-CN': zhCN,
} satisfies Record<string, Translation>;

export type Locale = keyof typeof LOCALES;

export const SUPPORTED_LOCALES = Object.keys(LOCALES) as Locale[];
