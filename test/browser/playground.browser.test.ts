import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, skipBrowserSuites } from './chromium.js';
import { playgroundPages } from './playground-pages.js';

// CI must run these: there a missing browser fails the suite instead of skipping it.
describe.skipIf(skipBrowserSuites)('playground in a real browser', () => {
  describe('with Chromium', () => {
    const pages = playgroundPages();
    let page: Page;

    async function openPlayground(taskMs = 400): Promise<Page> {
      ({ page } = await pages.open({ taskMs }));
      await page.getByText('Simulated image API').waitFor();
      return page;
    }

    async function send(text: string): Promise<void> {
      const box = page.getByRole('textbox', { name: /^Message #/ });
      await box.fill(text);
      await box.press('Enter');
      // The box empties once the playground has taken the command.
      await expect.poll(() => box.inputValue()).toBe('');
    }

    const results = () => page.locator('li.job[data-state="done"]');
    const shot = (name: string) =>
      page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

    it('type /imagine and watch the status turn into the labelled image', async () => {
      await openPlayground(1_500);
      await send('/imagine a red fox --ar 16:9 --res 2K');
      const card = page.locator('li.job').first();
      await card.getByText(/^(Queued|Generating)…/).waitFor();
      expect(await card.locator('.details').textContent()).toBe('16:9 · 2K · requested by Ada');

      const image = page.getByRole('img', {
        name: 'Simulated placeholder image for the prompt: a red fox',
      });
      await image.waitFor();
      // Served through the playground and actually decoded by the browser.
      const decodedWidth = await page.evaluate(
        "document.querySelector('li.job figure img').complete && document.querySelector('li.job figure img').naturalWidth",
      );
      expect(decodedWidth).toBeGreaterThan(0);
      expect(await image.getAttribute('src')).toMatch(/^api\/image\?id=/);
      await expect(card.locator('.sim-badge').isVisible()).resolves.toBe(true);
      expect(await card.locator('.status').textContent()).toMatch(/^Done in \d+ s$/);
      for (const name of ['Reroll', 'Share to #showcase', 'Delete'])
        await expect(card.getByRole('button', { name }).isVisible()).resolves.toBe(true);
      await shot('image-appears');
    });

    it('a failing prompt shows the failure text', async () => {
      await openPlayground();
      await send('/imagine a fox in the snow [fail]');
      await page.getByText("may violate OpenAI's content policies").waitFor();
      await page.getByText('Your credits were refunded').waitFor();
      await page.getByRole('button', { name: 'Try again' }).waitFor();
      await shot('failure-text');
    });

    it('exhausting a simulated user’s credits shows the quota message', async () => {
      await openPlayground();
      await page.getByLabel('You are').selectOption('ben');
      await page.getByRole('textbox', { name: 'Message #general as Ben' }).waitFor();
      await send('/imagine a lighthouse at dusk --res 2K');
      await results().first().waitFor();
      await send('/imagine a lighthouse at dawn --res 2K');
      await page.getByText('This image costs 2 credits and you have 1 left today').waitFor();
      await expect(page.getByText('Only you can see this').first().isVisible()).resolves.toBe(true);
      await shot('quota-exhausted');
    });

    it('Reroll adds a new result', async () => {
      await openPlayground();
      await send('/imagine a paper boat on a pond');
      await results().first().waitFor();
      await results().first().getByRole('button', { name: 'Reroll' }).click();
      await results().nth(1).getByRole('img').waitFor();
      expect(await page.getByRole('img', { name: /a paper boat on a pond$/ }).count()).toBe(2);
      await shot('reroll-adds-result');
    });

    it('Delete removes one result', async () => {
      await openPlayground();
      await send('/imagine first picture');
      await send('/imagine second picture');
      await results().nth(1).waitFor();
      // Keyboard only: focus the first card's Delete button and press Enter.
      await results().first().getByRole('button', { name: 'Delete' }).focus();
      await page.keyboard.press('Enter');
      await results().nth(1).waitFor({ state: 'detached' });
      expect(await page.getByRole('img', { name: /first picture$/ }).count()).toBe(0);
      expect(await page.getByRole('img', { name: /second picture$/ }).count()).toBe(1);
      await shot('delete-removes-result');
    });

    it('Share puts a copy in #showcase, and the page fits a phone', async () => {
      await openPlayground();
      await page.setViewportSize({ width: 390, height: 844 });
      await send('/imagine a kite over the sea --ar 9:16');
      await results().first().getByRole('button', { name: 'Share to #showcase' }).click();
      await page
        .getByRole('button', { name: /# showcase/ })
        .getByText('1')
        .waitFor();
      await page.getByRole('button', { name: /# showcase/ }).click();
      await page.getByText('shared by Ada · requested by Ada').waitFor();
      await page.getByRole('img', { name: /a kite over the sea$/ }).waitFor();
      const overflow = await page.evaluate('document.documentElement.scrollWidth - innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await shot('phone-shared');
    });
  });
});
