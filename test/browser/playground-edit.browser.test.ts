import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { decodePng, encodePng } from '../fakes/image-api/index.js';
import { SCREENSHOTS, skipBrowserSuites } from './chromium.js';
import type { PlaygroundHarness } from './playground-harness.js';
import { playgroundPages } from './playground-pages.js';

/** A plain green picture: whatever is made from it stays mostly green. */
const GREEN_PNG = encodePng(64, 48, () => [0, 220, 0]);

// CI must run these: there a missing browser fails the suite instead of skipping it.
describe.skipIf(skipBrowserSuites)('playground: start from an image, Edit, Vary, Upscale', () => {
  const pages = playgroundPages();
  let page: Page;
  let playground: PlaygroundHarness;

  async function openPlayground(): Promise<Page> {
    ({ page, playground } = await pages.open({ taskMs: 300 }));
    await page.getByText('Simulated image API').waitFor();
    return page;
  }

  const box = () => page.getByRole('textbox', { name: /^Message #/ });
  async function send(text: string): Promise<void> {
    await box().fill(text);
    await box().press('Enter');
    await expect.poll(() => box().inputValue()).toBe('');
  }
  const results = () => page.locator('li.job[data-state="done"]');
  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  /** Whether the browser decoded the image (it loaded, through the playground). */
  const decoded = (selector: string) =>
    page.evaluate(
      `(() => { const img = document.querySelector(${JSON.stringify(selector)}); return img.complete && img.naturalWidth; })()`,
    );
  /** The centre pixel of an image the page shows, fetched as the page would. */
  async function centreOf(src: string): Promise<number[]> {
    const response = await page.request.get(new URL(src, playground.url).toString());
    const picture = decodePng(Buffer.from(await response.body()))!;
    const offset =
      (Math.floor(picture.height / 2) * picture.width + Math.floor(picture.width / 2)) * 3;
    return [...picture.rgb.subarray(offset, offset + 3)];
  }

  it('attach an image, see it beside the box, send: a card "From cat.png" whose image comes from it', async () => {
    await openPlayground();
    await page.setInputFiles('#attach', {
      name: 'cat.png',
      mimeType: 'image/png',
      buffer: GREEN_PNG,
    });
    const thumbnail = page
      .getByRole('list', { name: 'Attached images' })
      .getByRole('img', { name: 'cat.png' });
    await thumbnail.waitFor();
    await expect(page.getByRole('button', { name: 'Remove cat.png' }).isVisible()).resolves.toBe(
      true,
    );
    await send('make it night');
    // Sent with the message: the box's attachments are cleared.
    await thumbnail.waitFor({ state: 'detached' });

    const card = results().first();
    await card.getByRole('img', { name: /for the prompt: make it night$/ }).waitFor();
    expect(await card.locator('.made-from').textContent()).toBe('From cat.png');
    expect(await decoded('li.job .sources img')).toBeGreaterThan(0);
    expect(await card.locator('.sources img').getAttribute('alt')).toBe('Source image: cat.png');
    // The simulated API drew the result from the green source (tinted and framed).
    const [r, g, b] = await centreOf((await card.locator('figure img').getAttribute('src'))!);
    expect(g).toBeGreaterThan(140);
    expect(r).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    await shot('edit-from-attached');
  });

  it('paste an image into the box, remove it with ×; a file that is not an image is refused', async () => {
    await openPlayground();
    await box().focus();
    // What the browser does when an image is pasted: a paste event carrying the file.
    await page.evaluate(`(() => {
      const bytes = Uint8Array.from(atob('${GREEN_PNG.toString('base64')}'), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
      const paste = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      document.getElementById('message').dispatchEvent(paste);
    })()`);
    const attached = page.getByRole('list', { name: 'Attached images' });
    await attached.getByRole('img', { name: 'pasted.png' }).waitFor();
    await page.getByRole('button', { name: 'Remove pasted.png' }).click();
    await attached.getByRole('img').waitFor({ state: 'detached' });

    await page.setInputFiles('#attach', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a picture'),
    });
    await page
      .getByText('"notes.txt" is not an image. Use a PNG, JPEG or WEBP image and try again.')
      .waitFor();
    expect(await attached.getByRole('img').count()).toBe(0);
    await shot('attach-refused');
  });

  it('Edit opens a form with its cost; sending it makes a result "Edited from …"; Vary and Upscale too', async () => {
    await openPlayground();
    await send('/imagine a paper kite');
    const original = results().first();
    await original.getByRole('img').waitFor();
    for (const name of ['Reroll', 'Edit', 'Vary', 'Upscale', 'Share to #showcase', 'Delete'])
      await expect(original.getByRole('button', { name }).isVisible()).resolves.toBe(true);

    await original.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: /^Edit “a paper kite”/ });
    await form.waitFor();
    await expect(form.getByText('Costs 1 credit').isVisible()).resolves.toBe(true);
    await shot('edit-form');
    await form.getByRole('textbox', { name: /What to change/ }).fill('make the kite red');
    await form.getByRole('button', { name: 'Send' }).click();
    await form.waitFor({ state: 'detached' });
    const edited = results().nth(1);
    await edited.getByText('Edited from “a paper kite”').waitFor();
    expect(await edited.locator('.prompt').textContent()).toBe('make the kite red');
    // The card shows the image it was made from: the original, served by the playground.
    expect(await decoded('li.job[data-state="done"]:nth-of-type(2) .sources img')).toBeGreaterThan(
      0,
    );

    await original.getByRole('button', { name: 'Vary' }).click();
    await results().nth(2).getByText('Variation of “a paper kite”').waitFor();
    await original.getByRole('button', { name: 'Upscale' }).click();
    const upscaled = results().nth(3);
    await upscaled.getByText('Upscaled to 2K from “a paper kite”').waitFor();
    expect(await upscaled.locator('.details').textContent()).toBe('2K · requested by Ada');
    await shot('edit-vary-upscale');
  });

  it('images sent without a prompt are posted; Edit image asks which, then what to change', async () => {
    await openPlayground();
    const red = encodePng(32, 32, () => [230, 0, 0]);
    await page.setInputFiles('#attach', [
      { name: 'green.png', mimeType: 'image/png', buffer: GREEN_PNG },
      { name: 'red.png', mimeType: 'image/png', buffer: red },
    ]);
    await page.getByRole('button', { name: 'Remove red.png' }).waitFor();
    await box().press('Enter');
    const posted = page.getByRole('list', { name: 'Images posted by Ada' });
    await posted.getByRole('img', { name: 'red.png' }).waitFor();
    await page.getByRole('button', { name: 'Edit image' }).click();
    await page.getByText('Which image do you want to edit?').waitFor();
    await page.getByRole('button', { name: 'Edit red.png' }).click();
    const form = page.getByRole('form', { name: 'Edit red.png' });
    await form.getByRole('textbox', { name: 'What to change in red.png' }).fill('add a moon');
    await form.getByRole('button', { name: 'Send' }).click();
    const card = results().first();
    await card.getByText('From red.png').waitFor();
    // Drawn from the red image, not the green one.
    const [r, g] = await centreOf((await card.locator('figure img').getAttribute('src'))!);
    expect(r).toBeGreaterThan(140);
    expect(g).toBeLessThan(80);
    await shot('edit-image-on-post');
  });

  it('Cancel closes the edit form and starts nothing', async () => {
    await openPlayground();
    await send('/imagine a small boat');
    await results().first().getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: /^Edit “a small boat”/ });
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached' });
    expect(await page.locator('li.job').count()).toBe(1);
  });
});
