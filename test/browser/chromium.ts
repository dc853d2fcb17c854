import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, installed by .ci/run; Playwright's own browser downloads are not used. */
export const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags Chromium keeps calling Google services. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOTS = fileURLToPath(
  new URL('../../test-results/playground/', import.meta.url),
);
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const haveChromium = existsSync(CHROMIUM);

/** CI must run the browser suites: there a missing browser fails them instead of skipping. */
export const skipBrowserSuites = !haveChromium && !inCi;

if (skipBrowserSuites) {
  console.warn(
    `\n  SKIPPING the playground browser tests: ${CHROMIUM} is missing (apt-get install chromium).\n`,
  );
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile, so no cookie or storage leaks from one suite into another. */
export async function launchChromium(): Promise<Chromium> {
  if (!haveChromium) throw new Error(`${CHROMIUM} is missing; .ci/run installs it (apt)`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'playground-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Script errors and content-security-policy violations, which every test expects none of. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}
