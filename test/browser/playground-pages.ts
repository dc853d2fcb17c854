import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { collectPageErrors, launchChromium, type Chromium } from './chromium.js';
import {
  startPlayground,
  type PlaygroundHarness,
  type PlaygroundHarnessOptions,
} from './playground-harness.js';

/**
 * For the describe block it is called in: one Chromium, and per test a playground of its own with
 * a page loaded on it. After each test both are closed, and the page must have logged no script
 * error and no content-security-policy violation on the way.
 */
export function playgroundPages(): {
  open(options?: PlaygroundHarnessOptions): Promise<{ page: Page; playground: PlaygroundHarness }>;
} {
  let chromium: Chromium | undefined;
  let playground: PlaygroundHarness | undefined;
  let page: Page | undefined;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
  });
  afterEach(async () => {
    await page?.close();
    await playground?.close();
    page = undefined;
    playground = undefined;
    const errors = pageErrors;
    pageErrors = [];
    expect(errors).toEqual([]);
  });

  return {
    async open(options) {
      playground = await startPlayground(options);
      page = await chromium!.context.newPage();
      pageErrors = collectPageErrors(page);
      await page.goto(playground.url);
      return { page, playground };
    },
  };
}
