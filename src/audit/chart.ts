import { deflateSync } from 'node:zlib';
import { ScanlineCanvas, assemblePng, type Rgb } from '../core/png/encode.js';
import { translate, type Locale, type MessageKey, type MessageParams } from '../i18n/index.js';
import { GLYPH_HEIGHT, canDraw, forEachDot, textWidth } from './bitmap-font.js';
import type { UsageReport, UsageRow } from './usage.js';

export const CHART_WIDTH = 760;
export const CHART_HEIGHT = 420;
/** The daily bars and the top users' bars, in two colours no text or grid line uses. */
export const DAY_BAR_COLOUR: Rgb = [79, 70, 229];
export const USER_BAR_COLOUR: Rgb = [13, 148, 136];
/** Users listed under the bars. */
export const TOP_USERS = 5;

const BACKGROUND: Rgb = [255, 255, 255];
const TEXT: Rgb = [31, 41, 55];
const MUTED: Rgb = [107, 114, 128];
const GRID: Rgb = [229, 231, 235];
const PLOT = { left: 56, right: 744, top: 44, bottom: 244 };
const SLOT = Math.floor((PLOT.right - PLOT.left) / 30);
const BAR_WIDTH = SLOT - 6;
const USERS_TOP = 280;
const USER_ROW = 22;
const USER_BAR_LEFT = 200;
const USER_BAR_MAX = 440;
const NAME_CHARACTERS = 30;

/** The chart's own words; what each says is in the catalogue (audit.chart.*). */
const CHART_WORDS = [
  'audit.chart.title',
  'audit.chart.total',
  'audit.chart.empty',
  'audit.chart.topUsers',
  'audit.chart.nobody',
] as const satisfies readonly MessageKey[];

type ChartWord = (key: (typeof CHART_WORDS)[number], params?: MessageParams) => string;

/**
 * Whether the chart can show its words in `locale`: the bitmap font has Latin letters only, so a
 * language in another script (Chinese) gets the English words in the image, never a row of '?',
 * and the answer beside the image says what the chart shows in that language (audit.chart.caption).
 */
export function chartSpeaks(locale: Locale): boolean {
  return CHART_WORDS.every((key) =>
    [...translate(locale, key, { credits: '0' })].every(
      (character) => character.trim() === '' || canDraw(character),
    ),
  );
}

/**
 * The usage chart as a PNG: credits spent per UTC day over the last 30 days as bars (today on the
 * right), and the top users of those 30 days with their totals. Drawn pixel by pixel with the
 * built-in bitmap font, so it needs no font or graphics library and looks the same everywhere.
 * Its titles are in `locale` when the font has that language's letters, else in English.
 */
export function usageChart(report: UsageReport, locale: Locale = 'en'): Buffer {
  const drawn = chartSpeaks(locale) ? locale : 'en';
  const words: ChartWord = (key, params) => translate(drawn, key, params);
  const canvas = new Painter(CHART_WIDTH, CHART_HEIGHT);
  canvas.fill(0, 0, CHART_WIDTH, CHART_HEIGHT, BACKGROUND);
  const period = report.last30Days;
  canvas.text(words('audit.chart.title'), 16, 12, 2, TEXT);
  const total = words('audit.chart.total', { credits: String(period.credits) });
  canvas.text(total, CHART_WIDTH - 16 - textWidth(total, 2), 12, 2, TEXT);
  drawDailyBars(canvas, report, words);
  drawTopUsers(canvas, report, words);
  return canvas.encode();
}

function drawDailyBars(canvas: Painter, report: UsageReport, words: ChartWord): void {
  const most = Math.max(0, ...report.daily.map((day) => day.credits));
  const height = PLOT.bottom - PLOT.top;
  for (const fraction of [0, 0.5, 1]) {
    canvas.fill(
      PLOT.left,
      PLOT.bottom - Math.round(fraction * height),
      PLOT.right - PLOT.left,
      1,
      GRID,
    );
  }
  canvas.textRight(String(most), PLOT.left - 6, PLOT.top - 3, MUTED);
  canvas.textRight('0', PLOT.left - 6, PLOT.bottom - GLYPH_HEIGHT + 1, MUTED);
  if (most === 0) {
    canvas.text(words('audit.chart.empty'), PLOT.left + 16, PLOT.top + 80, 1, MUTED);
  }
  report.daily.forEach((day, index) => {
    const left = PLOT.left + index * SLOT + (SLOT - BAR_WIDTH) / 2;
    if (day.credits > 0) {
      const barHeight = Math.max(1, Math.round((day.credits / most) * height));
      canvas.fill(left, PLOT.bottom - barHeight, BAR_WIDTH, barHeight, DAY_BAR_COLOUR);
    }
    // Day of the month under every bar; the month under the first and under each 1st.
    const dayOfMonth = day.day.slice(8);
    canvas.text(
      dayOfMonth,
      left + (BAR_WIDTH - textWidth(dayOfMonth)) / 2,
      PLOT.bottom + 6,
      1,
      MUTED,
    );
    if (index === 0 || dayOfMonth === '01') {
      canvas.text(monthName(day.day), left, PLOT.bottom + 16, 1, MUTED);
    }
  });
}

function drawTopUsers(canvas: Painter, report: UsageReport, words: ChartWord): void {
  canvas.text(words('audit.chart.topUsers'), 16, USERS_TOP, 1, TEXT);
  const users = report.last30Days.byUser.filter((user) => user.credits > 0).slice(0, TOP_USERS);
  if (users.length === 0) {
    canvas.text(words('audit.chart.nobody'), 16, USERS_TOP + USER_ROW, 1, MUTED);
    return;
  }
  const most = users[0]!.credits;
  users.forEach((user, index) => {
    const top = USERS_TOP + (index + 1) * USER_ROW;
    canvas.text(shortened(label(user)), 16, top + 4, 1, TEXT);
    const length = Math.max(1, Math.round((user.credits / most) * USER_BAR_MAX));
    canvas.fill(USER_BAR_LEFT, top, length, 15, USER_BAR_COLOUR);
    canvas.text(String(user.credits), USER_BAR_LEFT + length + 8, top + 4, 1, TEXT);
  });
}

/**
 * A name the font can show: one written mostly outside its letters (e.g. in Chinese) would be a
 * row of question marks, so the user's key stands in for it.
 */
function label(user: UsageRow): string {
  const characters = [...user.name].filter((character) => character.trim() !== '');
  const drawable = characters.filter(canDraw).length;
  return drawable * 2 >= characters.length && drawable > 0 ? user.name : user.key;
}

function shortened(name: string): string {
  const characters = [...name];
  return characters.length <= NAME_CHARACTERS
    ? name
    : `${characters.slice(0, NAME_CHARACTERS - 3).join('')}...`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function monthName(isoDay: string): string {
  return MONTHS[Number(isoDay.slice(5, 7)) - 1] ?? '';
}

/** Rectangles and text on an RGB canvas; anything outside the canvas is clipped. */
class Painter {
  private readonly canvas: ScanlineCanvas;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.canvas = new ScanlineCanvas(width, height);
  }

  fill(left: number, top: number, width: number, height: number, [r, g, b]: Rgb): void {
    const x0 = Math.max(0, Math.round(left));
    const y0 = Math.max(0, Math.round(top));
    const x1 = Math.min(this.width, Math.round(left + width));
    const y1 = Math.min(this.height, Math.round(top + height));
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) this.canvas.set(x, y, r, g, b);
  }

  text(text: string, left: number, top: number, scale: number, colour: Rgb): void {
    forEachDot(text, Math.round(left), Math.round(top), scale, (x, y) =>
      this.fill(x, y, 1, 1, colour),
    );
  }

  textRight(text: string, right: number, top: number, colour: Rgb): void {
    this.text(text, right - textWidth(text), top, 1, colour);
  }

  encode(): Buffer {
    // Flat colours: the best compression costs little here and keeps the file a few kilobytes.
    return assemblePng(this.width, this.height, deflateSync(this.canvas.scanlines, { level: 9 }));
  }
}
