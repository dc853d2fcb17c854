import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobCard } from '../../src/platforms/playground/room.js';
import {
  collectPageErrors,
  launchChromium,
  SCREENSHOTS,
  skipBrowserSuites,
  type Chromium,
} from './chromium.js';
import { PlaygroundApiClient } from './playground-api-client.js';
import { startPlayground, type PlaygroundHarness } from './playground-harness.js';

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

interface Box {
  top: number;
  left: number;
  bottom: number;
  right: number;
  width: number;
  height: number;
}

/** The little of the DOM these checks touch (the tests compile without the DOM's types). */
interface PageElement {
  parentElement: PageElement | null;
  getBoundingClientRect(): Box;
  complete?: boolean;
  naturalWidth?: number;
}

interface PageWindow {
  innerWidth: number;
  innerHeight: number;
  getComputedStyle(element: PageElement): { overflowY: string };
  document: { activeElement: unknown };
}

/**
 * Runs in the page: whether the whole element can be seen, inside the window and inside every
 * scrolling box around it (a card scrolled out of the message list is in the window, but hidden).
 */
function fullyVisibleInPage(node: unknown): boolean {
  const element = node as PageElement;
  const view = globalThis as unknown as PageWindow;
  const box = element.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return false;
  let [top, left, bottom, right] = [0, 0, view.innerHeight, view.innerWidth];
  for (let around = element.parentElement; around; around = around.parentElement) {
    if (!/(auto|scroll|hidden)/.test(view.getComputedStyle(around).overflowY)) continue;
    const clip = around.getBoundingClientRect();
    [top, left] = [Math.max(top, clip.top), Math.max(left, clip.left)];
    [bottom, right] = [Math.min(bottom, clip.bottom), Math.min(right, clip.right)];
  }
  return (
    box.top >= top - 1 && box.left >= left - 1 && box.bottom <= bottom + 1 && box.right <= right + 1
  );
}

/** Runs in the page: the image has arrived and the browser could decode it. */
function decodedInPage(node: unknown): boolean {
  const image = node as PageElement;
  return image.complete === true && (image.naturalWidth ?? 0) > 0;
}

/** Runs in the page: the element has the keyboard focus. */
function focusedInPage(node: unknown): boolean {
  return (globalThis as unknown as PageWindow).document.activeElement === node;
}

async function fullyVisible(locator: Locator): Promise<boolean> {
  return (await locator.count()) > 0 && (await locator.evaluate(fullyVisibleInPage));
}

/** Runs in the page: what follows the element. */
function nextSiblingText(node: unknown): string | undefined {
  return (node as { nextElementSibling?: { textContent: string } }).nextElementSibling?.textContent;
}

const decoded = (image: Locator) => image.evaluate(decodedInPage);
const focused = (element: Locator) => element.evaluate(focusedInPage);

/** Under load the page's updates can take a while; they must come, not come at once. */
const SOON = { timeout: 10_000 };

/** Polled: the list follows images as they load, a frame or two after they do. */
async function expectInView(...locators: Locator[]): Promise<void> {
  for (const locator of locators) await expect.poll(() => fullyVisible(locator), SOON).toBe(true);
}

// A real browser and a real bot, several results each: on a busy CI machine that takes a while.
describe.skipIf(skipBrowserSuites)('playground: what stays in view', { timeout: 90_000 }, () => {
  let chromium: Chromium;
  let playground: PlaygroundHarness | undefined;
  let page: Page;
  let pageErrors: string[];
  const others: PlaygroundApiClient[] = [];

  beforeAll(async () => {
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
  });

  afterEach(async () => {
    await Promise.all(others.splice(0).map((client) => client.close()));
    await page?.close();
    await playground?.close();
    playground = undefined;
    expect(pageErrors).toEqual([]);
  });

  /** Another person in the channel (Mo), posting through the page's own HTTP API. */
  async function someoneElse(): Promise<PlaygroundApiClient> {
    const mo = await PlaygroundApiClient.open(playground!.url, 'mo');
    others.push(mo);
    return mo;
  }

  /** Enough finished images that the channel is longer than any screen. */
  async function fillChannel(count: number): Promise<void> {
    const mo = await someoneElse();
    for (let index = 1; index <= count; index++) {
      await mo.command(`/imagine earlier picture ${index} --ar 1:1`);
      await mo.until(
        () =>
          mo.jobs().filter((message) => (message.body as JobCard).state === 'done').length ===
          index,
        `earlier picture ${index}`,
      );
    }
  }

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    page = await chromium.context.newPage();
    pageErrors = collectPageErrors(page);
    await page.setViewportSize(viewport);
    await page.goto(playground!.url);
    await page.getByText('Simulated image API').waitFor();
    return page;
  }

  const composer = () => page.getByRole('textbox', { name: /^Message #/ });
  const sendButton = () => page.getByRole('button', { name: 'Send', exact: true });
  const cards = () => page.locator('li.job');
  const newest = () => cards().last();
  const jump = () => page.getByRole('button', { name: 'New messages ↓' });
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

  async function send(text: string): Promise<void> {
    await composer().fill(text);
    await composer().press('Enter');
    await expect.poll(() => composer().inputValue(), SOON).toBe('');
  }

  for (const viewport of VIEWPORTS) {
    it(`${viewport.name} ${viewport.width}×${viewport.height}: the newest image and the composer stay in view on load, after sending and when the result arrives`, async () => {
      playground = await startPlayground({ taskMs: 300 });
      await fillChannel(4);
      await open(viewport);

      // On load: the newest finished image, not the oldest message, and the composer.
      const lastEarlier = newest().getByRole('img', { name: /earlier picture 4$/ });
      await expect.poll(() => decoded(lastEarlier), SOON).toBe(true);
      await expectInView(lastEarlier, composer(), sendButton());
      await shot(`${viewport.name}-on-load`);

      // After sending: the new card and the composer.
      await send('/imagine a lighthouse in a storm --ar 9:16');
      const mine = cards().filter({ hasText: 'a lighthouse in a storm' });
      await expectInView(mine.locator('.status'), composer());

      // When the result arrives, after its image has loaded and grown the card.
      const image = mine.getByRole('img', { name: /a lighthouse in a storm$/ });
      await image.waitFor();
      await expect.poll(() => decoded(image), SOON).toBe(true);
      await expectInView(image, mine.getByRole('button', { name: 'Reroll' }), composer());
      const overflow = await page.evaluate('document.documentElement.scrollWidth - innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(`${viewport.name}-result-arrived`);
    });
  }

  it('reading back is left alone: new activity shows a "New messages" button that jumps down', async () => {
    playground = await startPlayground({ taskMs: 300 });
    await fillChannel(4);
    await open({ width: 1280, height: 800 });
    const first = cards().first();
    await expect.poll(() => decoded(newest().getByRole('img')), SOON).toBe(true);
    await expectInView(newest().getByRole('img'));

    // Scroll back to the first picture, as a person would, with the wheel.
    await page.locator('#messages').hover();
    while (!(await fullyVisible(first.locator('.status')))) await page.mouse.wheel(0, -400);
    const mo = others[0]!;
    await mo.command('/imagine a new picture while Ada reads');
    await jump().waitFor();
    expect(await fullyVisible(first.locator('.status'))).toBe(true);
    await mo.until(
      () =>
        mo.jobs().some((m) => {
          const card = m.body as JobCard;
          return card.prompt.endsWith('reads') && card.image !== undefined;
        }),
      'the new picture',
    );
    expect(await fullyVisible(first.locator('.status'))).toBe(true);
    await shot('reading-back-new-messages');

    await jump().click();
    const latest = newest().getByRole('img', { name: /while Ada reads$/ });
    await expect.poll(() => decoded(latest), SOON).toBe(true);
    await expectInView(latest, composer());
    expect(await jump().isVisible()).toBe(false);
    // The button went away; the focus went to the message box, not to the top of the page.
    expect(await focused(composer())).toBe(true);
  });

  it('after a server restart the page says so instead of silently emptying the channel', async () => {
    playground = await startPlayground({ taskMs: 300 });
    const port = new URL(playground.url).port;
    await open({ width: 1280, height: 800 });
    await send('/imagine a picture from before the restart');
    await newest().getByRole('img').waitFor();

    await playground.close();
    playground = await startPlayground({ taskMs: 300, env: { HTTP_PORT: port } });
    const notice = page.getByRole('alert');
    await notice.getByText('The playground server restarted.').waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain('Messages from before the restart are gone');
    await expectInView(notice);
    await shot('restart-notice');
    // And it works again.
    await send('/imagine a picture after the restart');
    await newest()
      .getByRole('img', { name: /after the restart$/ })
      .waitFor();
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    expect(await notice.isVisible()).toBe(false);
  });

  it('Share confirms beside the button clicked, and the focus stays there', async () => {
    playground = await startPlayground({ taskMs: 300 });
    await open({ width: 390, height: 844 });
    await send('/imagine a kite to share');
    const card = cards().filter({ hasText: 'a kite to share' });
    const share = card.getByRole('button', { name: 'Share to #showcase' });
    await share.focus();
    await page.keyboard.press('Enter');
    const note = card.getByRole('status').filter({ hasText: 'Shared to #showcase' });
    await note.waitFor();
    // Beside the control: right after it in the card's actions, at most a row below on a phone.
    expect(await share.evaluate(nextSiblingText)).toBe('Shared to #showcase');
    const [button, confirmation] = [await share.boundingBox(), await note.boundingBox()];
    const centre = (box: typeof button) => box!.y + box!.height / 2;
    expect(Math.abs(centre(button) - centre(confirmation))).toBeLessThan(2 * button!.height);
    await expectInView(note);
    expect(await focused(share)).toBe(true);
    await shot('share-confirmed');
  });

  it('listening beyond this machine: the printed address with the token opens a working page, and the token leaves the address bar', async () => {
    const token = 'browser-token-61c2e9';
    playground = await startPlayground({
      taskMs: 300,
      env: { HTTP_HOST: '0.0.0.0', PLAYGROUND_TOKEN: token },
    });
    expect(playground.url).toContain(`?token=${token}`);
    await open({ width: 1280, height: 800 });
    expect(page.url()).not.toContain(token);
    // The session cookie goes with the event stream and the posts, but the page cannot read it.
    expect(await page.evaluate('document.cookie')).toBe('');
    await send('/imagine a fox behind a token');
    await newest()
      .getByRole('img', { name: /behind a token$/ })
      .waitFor();
    await page.reload();
    await newest()
      .getByRole('img', { name: /behind a token$/ })
      .waitFor();
  });

  it('Enter on Reroll keeps the focus on Reroll; Delete hands it to the next card', async () => {
    playground = await startPlayground({ taskMs: 300 });
    await open({ width: 1280, height: 800 });
    await send('/imagine a paper boat');
    const first = cards().first();
    const reroll = first.getByRole('button', { name: 'Reroll' });
    await reroll.focus();
    await page.keyboard.press('Enter');
    await cards().nth(1).getByRole('img').waitFor();
    expect(await focused(reroll)).toBe(true);
    // Tab goes on from there, not from the top of the page: to Edit, the next button (issue 12).
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Edit');

    await first.getByRole('button', { name: 'Delete' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => cards().count(), SOON).toBe(1);
    const holder = await page.evaluate(
      "document.activeElement.closest('li.job')?.textContent ?? document.activeElement.id",
    );
    expect(holder).toContain('a paper boat');
  });
});
