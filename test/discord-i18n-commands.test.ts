import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployDiscordCommands } from '../commands/deploy-discord.js';
import type { RegisteredCommand, RegisteredOption } from './fakes/discord/commands.js';
import { startDiscordFake, type DiscordFake } from './fakes/discord/index.js';
import { zhCN } from '../src/i18n/locales/zh-CN.js';

let fake: DiscordFake;

beforeAll(async () => {
  fake = await startDiscordFake();
  await deployDiscordCommands({ token: fake.token, apiUrl: fake.apiUrl });
});
afterAll(() => fake.close());

/** The commands as Discord lists them to the bot, asked with or without their localizations. */
async function listed(withLocalizations: boolean): Promise<RegisteredCommand[]> {
  const query = withLocalizations ? '?with_localizations=true' : '';
  const response = await fetch(
    `${fake.apiUrl}/v10/applications/${fake.applicationId}/commands${query}`,
    { headers: { authorization: `Bot ${fake.token}` } },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as RegisteredCommand[];
}

/** Every text a person reads in the command picker, with its zh-CN localization. */
function readTexts(commands: RegisteredCommand[]) {
  const texts: Array<{ where: string; english: string; chinese: string | undefined }> = [];
  const visit = (options: RegisteredOption[] | undefined, path: string) => {
    for (const option of options ?? []) {
      const where = `${path} ${option.name}`;
      texts.push({
        where,
        english: option.description,
        chinese: option.description_localizations?.['zh-CN'],
      });
      for (const choice of option.choices ?? [])
        texts.push({
          where: `${where}=${String(choice.value)}`,
          english: choice.name,
          chinese: choice.name_localizations?.['zh-CN'],
        });
      visit(option.options, where);
    }
  };
  for (const command of commands) {
    if (command.type === 3) {
      texts.push({
        where: `menu ${command.name}`,
        english: command.name,
        chinese: command.name_localizations?.['zh-CN'],
      });
      continue;
    }
    texts.push({
      where: `/${command.name}`,
      english: command.description,
      chinese: command.description_localizations?.['zh-CN'],
    });
    visit(command.options, `/${command.name}`);
  }
  return texts;
}

const CHINESE = /\p{Script=Han}/u;

describe('Discord commands in Simplified Chinese', () => {
  it('every description, choice label and menu item has its zh-CN text, written in Chinese', async () => {
    const texts = readTexts(await listed(true));
    expect(texts.length).toBeGreaterThan(60);
    const missing = texts.filter((text) => text.chinese === undefined).map((text) => text.where);
    expect(missing).toEqual([]);
    const notChinese = texts.filter((text) => !CHINESE.test(text.chinese!));
    expect(notChinese).toEqual([]);
  });

  it('people read and type the command, its options and their labels in Chinese', async () => {
    const commands = await listed(true);
    const imagine = commands.find((command) => command.name === 'imagine')!;
    expect(imagine.name_localizations?.['zh-CN']).toBe('画图');
    expect(imagine.description_localizations?.['zh-CN']).toBe('用一段文字描述生成图片');
    const prompt = imagine.options!.find((option) => option.name === 'prompt')!;
    expect(prompt.name_localizations?.['zh-CN']).toBe('提示词');
    const resolution = imagine.options!.find((option) => option.name === 'resolution')!;
    expect(
      resolution.choices!.map((choice) => [choice.value, choice.name_localizations?.['zh-CN']]),
    ).toEqual([
      ['1K', '1K：最快，额度最省'],
      ['2K', '2K：更清晰，额度更多'],
      ['4K', '4K：最清晰，额度最多'],
    ]);
    const editImage = commands.find((command) => command.type === 3)!;
    expect(editImage.name_localizations?.['zh-CN']).toBe('编辑图片');
  });

  it('every slash command, subcommand and option has a Chinese name, none shared by two siblings', async () => {
    const problems: string[] = [];
    const visit = (
      siblings: Array<Pick<RegisteredOption, 'name' | 'name_localizations'>>,
      path: string,
    ) => {
      const chinese = siblings.map((named) => named.name_localizations?.['zh-CN']);
      siblings.forEach((named, index) => {
        if (!chinese[index] || !CHINESE.test(chinese[index]))
          problems.push(`${path} ${named.name}: ${String(chinese[index])}`);
        const options = (named as RegisteredOption).options;
        if (options) visit(options, `${path} ${named.name}`);
      });
      if (new Set(chinese).size !== chinese.length) problems.push(`${path}: ${chinese.join(', ')}`);
    };
    visit(
      (await listed(true)).filter((command) => command.type !== 3),
      '',
    );
    expect(problems).toEqual([]);
  });

  it("the bot's Chinese Discord answers name commands as a Chinese client shows them", async () => {
    const chineseNames = new Set(
      (await listed(true)).flatMap((command) =>
        command.type === 3 ? [] : [command.name_localizations?.['zh-CN']],
      ),
    );
    const named = Object.entries(zhCN)
      .filter(([key]) => key.startsWith('discord.'))
      .flatMap(([key, text]) =>
        [...String(text).matchAll(/\/([\p{L}\p{N}_-]+)/gu)].map((match) => ({
          key,
          name: match[1],
        })),
      );
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter(({ name }) => !chineseNames.has(name))).toEqual([]);
  });

  it('a zh-TW client sees the Simplified Chinese the bot answers in, not English', async () => {
    const imagine = (await listed(true)).find((command) => command.name === 'imagine')!;
    expect(imagine.description_localizations?.['zh-TW']).toBe('用一段文字描述生成图片');
  });

  it('without with_localizations Discord lists the English texts only', async () => {
    const commands = await listed(false);
    expect(JSON.stringify(commands)).not.toContain('_localizations');
    expect(commands.find((command) => command.name === 'imagine')!.description).toBe(
      'Generate an image from a text description',
    );
  });
});

describe('the fake refuses localizations Discord refuses', () => {
  async function register(command: Record<string, unknown>) {
    const response = await fetch(
      `${fake.apiUrl}/v10/applications/${fake.applicationId}/guilds/${fake.defaultGuildId}/commands`,
      {
        method: 'PUT',
        headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ type: 1, name: 'try', description: 'Try it', ...command }]),
      },
    );
    return { status: response.status, body: (await response.json()) as { message?: string } };
  }

  it('a locale Discord does not have', async () => {
    const answer = await register({ description_localizations: { zh: '试试' } });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('"zh" is not a Discord locale');
  });

  it('a slash name with capitals or spaces, in any language', async () => {
    expect((await register({ name_localizations: { 'zh-CN': '生成 图片' } })).status).toBe(400);
    expect((await register({ name_localizations: { de: 'Bild' } })).status).toBe(400);
    expect((await register({ name_localizations: { 'zh-CN': '生成图片' } })).status).toBe(200);
  });

  it('two options with one name in one language', async () => {
    const option = (name: string, chinese: string) => ({
      type: 3,
      name,
      name_localizations: { 'zh-CN': chinese },
      description: name,
    });
    const clash = await register({ options: [option('size', '尺寸'), option('shape', '尺寸')] });
    expect(clash.status).toBe(400);
    expect(clash.body.message).toContain('in zh-CN');
    const apart = await register({ options: [option('size', '尺寸'), option('shape', '形状')] });
    expect(apart.status).toBe(200);
  });

  it('a description over 100 characters in one language', async () => {
    const answer = await register({ description_localizations: { 'zh-CN': '长'.repeat(101) } });
    expect(answer.status).toBe(400);
  });

  it('contexts and integration types Discord does not know', async () => {
    expect((await register({ integration_types: [0, 2] })).status).toBe(400);
    expect((await register({ contexts: [] })).status).toBe(400);
    expect((await register({ integration_types: [0, 1], contexts: [0, 1, 2] })).status).toBe(200);
  });
});
