/**
 * The playground's language switch in a real browser: the page's words change at once, what is
 * sent next is answered in the chosen language, and the choice is remembered across a reload.
 */
import { describe, expect, it } from 'vitest';
import { skipBrowserSuites } from './chromium.js';
import { playgroundPages } from './playground-pages.js';

describe.skipIf(skipBrowserSuites)('playground language switch in a real browser', () => {
  const pages = playgroundPages();

  it('switches to 简体中文: the page, the next answer and its card speak Chinese, and it sticks', async () => {
    const { page } = await pages.open({ taskMs: 200 });
    // The browser speaks English: so does the page, until someone picks another language.
    await page.getByRole('button', { name: 'Send', exact: true }).waitFor();

    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('button', { name: '发送', exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.title()).toBe('gpt-image-bot 演练场');
    await page.getByText('模拟图像 API').waitFor();

    const box = page.getByRole('textbox', { name: '以 Ada 的身份在 #general 发消息' });
    await box.fill('/imagine 一只红狐狸 --ar 16:9');
    await box.press('Enter');
    const card = page.locator('li.job[data-state="done"]');
    await card.getByText(/^已完成，用时 \d+ 秒$/).waitFor();
    await card.getByText('Ada 使用了 /imagine').waitFor();
    await card.getByRole('button', { name: '重新生成' }).waitFor();
    await card.getByRole('img', { name: '根据提示词生成的模拟占位图：一只红狐狸' }).waitFor();

    // A private answer too, in the chosen language.
    await box.fill('/quota');
    await box.press('Enter');
    await page.getByText(/^你今天还剩 \d+ 点额度/).waitFor();

    // Remembered: a reload keeps Chinese although the browser still says English.
    await page.reload();
    await page.getByRole('button', { name: '发送', exact: true }).waitFor();
    await expect
      .poll(() => page.getByRole('combobox', { name: '语言' }).inputValue())
      .toBe('zh-CN');

    // And back: English words again, byte for byte as before.
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await page.getByRole('button', { name: 'Send', exact: true }).waitFor();
    await page.getByRole('textbox', { name: 'Message #general as Ada' }).waitFor();
  });
});
