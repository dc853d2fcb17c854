import type { Translation } from '../types.js';

/** 简体中文。Chinese has one plural form: only the `_other` keys are needed. */
export const zhCN: Translation = {
  'unit.days_other': '{count} 天',
  'unit.hours_other': '{count} 小时',
  'unit.minutes_other': '{count} 分钟',
  'unit.seconds_other': '{count} 秒',
  'unit.pair': '{larger} {smaller}',
};
