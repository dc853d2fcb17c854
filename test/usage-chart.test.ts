import { describe, expect, it } from 'vitest';
import { forEachDot, textWidth } from '../src/audit/bitmap-font.js';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  DAY_BAR_COLOUR,
  USER_BAR_COLOUR,
  usageChart,
} from '../src/audit/chart.js';
import type { AuditEvent } from '../src/audit/events.js';
import { summariseUsage } from '../src/audit/usage.js';
import type { Rgb } from '../src/core/png/encode.js';
import { decodePng, type RgbPicture } from '../src/simulator/png-decode.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3, 15, 30);

function spent(daysAgo: number, cost: number, user: string): AuditEvent {
  return {
    at: NOW - daysAgo * DAY,
    outcome: 'succeeded',
    workspaceId: 'G1',
    channelId: 'C1',
    userKey: `discord:${user}`,
    userName: user,
    prompt: 'a fox',
    options: { resolution: '1K', private: false },
    sources: [],
    cost,
    requestId: `${daysAgo}-${user}-${cost}`,
  };
}

function isColour(picture: RgbPicture, x: number, y: number, [r, g, b]: Rgb): boolean {
  const offset = (y * picture.width + x) * 3;
  return (
    picture.rgb[offset] === r && picture.rgb[offset + 1] === g && picture.rgb[offset + 2] === b
  );
}

/** Runs of consecutive columns (or rows) holding `colour`, each with its extent along the other axis. */
function runs(picture: RgbPicture, colour: Rgb, along: 'x' | 'y'): number[] {
  const outer = along === 'x' ? picture.width : picture.height;
  const inner = along === 'x' ? picture.height : picture.width;
  const extents: number[] = [];
  let current = 0;
  for (let a = 0; a < outer; a++) {
    let count = 0;
    for (let b = 0; b < inner; b++) {
      if (along === 'x' ? isColour(picture, a, b, colour) : isColour(picture, b, a, colour))
        count++;
    }
    if (count > 0) current = Math.max(current, count);
    else if (current > 0) {
      extents.push(current);
      current = 0;
    }
  }
  if (current > 0) extents.push(current);
  return extents;
}

describe('the usage chart', () => {
  // Alice spends 10 today and 5 twenty days ago; Bob 2 a week ago; Carol 20 on the oldest day shown.
  const events = [
    spent(29, 20, 'Carol'),
    spent(20, 5, 'Alice'),
    spent(7, 2, 'Bob'),
    spent(0, 10, 'Alice'),
    // Outside the 30 days: not drawn.
    spent(30, 50, 'Dave'),
  ];
  const report = summariseUsage(events, NOW);
  const png = usageChart(report);
  const picture = decodePng(png);

  it('is a valid PNG of the documented size, small enough to attach anywhere', () => {
    expect(picture).not.toBeNull();
    expect([picture!.width, picture!.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect(png.length).toBeLessThanOrEqual(200 * 1024);
  });

  it('draws one bar per day with credits, oldest on the left, heights in proportion', () => {
    const heights = runs(picture!, DAY_BAR_COLOUR, 'x');
    const daysWithCredits = report.daily.filter((day) => day.credits > 0).map((day) => day.credits);
    expect(daysWithCredits).toEqual([20, 5, 2, 10]);
    expect(heights).toHaveLength(4);
    const tallest = heights[0]!;
    heights.forEach((height, index) => {
      expect(Math.abs(height - (tallest * daysWithCredits[index]!) / 20)).toBeLessThanOrEqual(1);
    });
  });

  it('puts today’s bar at the right edge of the plot and the oldest day’s at the left', () => {
    const columns = [...Array(picture!.width).keys()].filter((x) =>
      [...Array(picture!.height).keys()].some((y) => isColour(picture!, x, y, DAY_BAR_COLOUR)),
    );
    const slot = (columns.at(-1)! - columns[0]!) / 29;
    // Carol's bar starts the first slot, Alice's today ends the last: 29 slots between them.
    expect(slot).toBeGreaterThan(15);
    expect(columns.at(-1)!).toBeGreaterThan(CHART_WIDTH * 0.9);
  });

  it('lists the top users with bars in proportion to their totals, most first', () => {
    const bars = runs(picture!, USER_BAR_COLOUR, 'y').length;
    expect(bars).toBe(3);
    const rowLengths: number[] = [];
    for (let y = 0; y < picture!.height; y++) {
      let length = 0;
      for (let x = 0; x < picture!.width; x++) {
        if (isColour(picture!, x, y, USER_BAR_COLOUR)) length++;
      }
      if (length > 0 && rowLengths.at(-1) !== length) rowLengths.push(length);
    }
    // Carol 20, Alice 15, Bob 2.
    expect(rowLengths).toHaveLength(3);
    expect(Math.abs(rowLengths[1]! - (rowLengths[0]! * 15) / 20)).toBeLessThanOrEqual(1);
    expect(Math.abs(rowLengths[2]! - (rowLengths[0]! * 2) / 20)).toBeLessThanOrEqual(1);
  });

  it('draws no bars when nothing was spent, and is still a valid picture', () => {
    const empty = decodePng(usageChart(summariseUsage([], NOW)));
    expect(empty).not.toBeNull();
    expect(runs(empty!, DAY_BAR_COLOUR, 'x')).toEqual([]);
    expect(runs(empty!, USER_BAR_COLOUR, 'y')).toEqual([]);
  });
});

describe('the names under the chart', () => {
  it('shows the user key for a name the font cannot draw, instead of question marks', () => {
    const named = (name: string) => ({
      ...spent(1, 3, 'x'),
      userKey: 'slack:T1:U42',
      userName: name,
    });
    const chinese = usageChart(summariseUsage([named('狐狸')], NOW));
    const byKey = usageChart(summariseUsage([named('slack:T1:U42')], NOW));
    const marks = usageChart(summariseUsage([named('??')], NOW));
    expect(chinese.equals(byKey)).toBe(true);
    expect(chinese.equals(marks)).toBe(false);
    // A mostly drawable name keeps its own spelling.
    const mixed = usageChart(summariseUsage([named('Zoë')], NOW));
    expect(mixed.equals(byKey)).toBe(false);
  });
});

describe('the chart’s bitmap font', () => {
  function render(text: string): string {
    const width = textWidth(text);
    const rows = Array.from({ length: 7 }, () => Array<string>(width).fill('.'));
    forEachDot(text, 0, 0, 1, (x, y) => (rows[y]![x] = '#'));
    return rows.map((row) => row.join('')).join('\n');
  }

  it('draws letters and digits one dot per pixel, lower case as capitals', () => {
    expect(render('Hi 7')).toBe(
      [
        '#...#..###........#####',
        '#...#...#.............#',
        '#...#...#............#.',
        '#####...#...........#..',
        '#...#...#..........#...',
        '#...#...#..........#...',
        '#...#..###.........#...',
      ].join('\n'),
    );
  });

  it('draws accented letters as their base letter', () => {
    expect(render('Zoë é')).toBe(render('ZOE E'));
  });

  it('draws a question mark for characters it does not have', () => {
    expect(render('狐')).toBe(render('?'));
  });
});
