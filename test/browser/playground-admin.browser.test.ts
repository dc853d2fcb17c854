/**
 * The moderator's admin bar in a real browser: the chart shows on the private card under the
 * page's content policy, and the export link saves the CSV.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, skipBrowserSuites } from './chromium.js';
import { playgroundPages } from './playground-pages.js';

/** What the test reads of an <img> in the page (the project compiles without the DOM's types). */
interface LoadedImage {
  complete: boolean;
  naturalWidth: number;
}

describe.skipIf(skipBrowserSuites)('playground admin bar in a real browser', () => {
  const pages = playgroundPages();

  it('only the moderator has it; Usage shows the chart, Export saves the CSV', async () => {
    const { page } = await pages.open({ taskMs: 100 });
    await page.getByText('Simulated image API').waitFor();
    const bar = page.getByRole('group', { name: 'Server admin' });

    await page.getByLabel('You are').selectOption('ada');
    await expect.poll(() => bar.isVisible()).toBe(false);
    await page.getByLabel('You are').selectOption('mo');
    await bar.waitFor();

    await bar.getByRole('button', { name: 'Usage and chart' }).click();
    const chart = page.getByRole('img', { name: /^Chart of credits spent per day/ });
    await chart.waitFor();
    // Loaded, at the chart's own size: the content policy let the served PNG through.
    await expect
      .poll(() => chart.evaluate((image: LoadedImage) => image.complete && image.naturalWidth))
      .toBe(760);

    await page.screenshot({
      path: join(SCREENSHOTS, 'playground-admin-usage.png'),
      fullPage: true,
    });

    await bar.getByRole('button', { name: 'Export CSV' }).click();
    const link = page.getByRole('link', { name: /^Download image-audit-\d{4}-\d{2}-\d{2}\.csv$/ });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^image-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const saved = await readFile(await download.path(), 'utf8');
    expect(saved.split('\r\n')[0]).toBe(
      'time,outcome,workspace,channel,user,user_name,prompt,options,sources,cost,request_id,task_id,fail_code,reason,rule',
    );
  });
});
