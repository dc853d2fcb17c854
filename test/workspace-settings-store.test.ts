import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { Store } from '../src/core/store.js';
import { openStore } from '../src/storage/open-store.js';
import {
  blockedBy,
  readBlocklistFile,
  WorkspaceSettingsService,
} from '../src/conversation/settings/index.js';
import { DURABLE_STORE_CASES, STORE_CASES, type StoreCase } from './helpers/stores.js';

let opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.map((store) => store.close()));
  opened = [];
});

async function open(location: { url: string; prefix?: string }): Promise<Store> {
  const store = await openStore(location.url, location.prefix ? { prefix: location.prefix } : {});
  opened.push(store);
  return store;
}

describe.each(STORE_CASES)('workspace settings on the $name store', (storeCase: StoreCase) => {
  it('start as today’s behaviour and keep each workspace’s changes apart', async () => {
    const settings = WorkspaceSettingsService.fromStore(await open(storeCase.fresh()));
    expect(await settings.get('G1')).toEqual({
      channels: { mode: 'all', ids: [] },
      dms: true,
      roles: [],
      roleAllowances: {},
      blocklist: [],
    });
    await settings.update('G1', (current) => ({
      ...current,
      dailyCredits: 50,
      channels: { mode: 'allow', ids: ['art'] },
    }));
    expect(await settings.get('G1')).toMatchObject({
      dailyCredits: 50,
      channels: { mode: 'allow', ids: ['art'] },
    });
    expect((await settings.get('G2')).channels.mode).toBe('all');
  });

  it('save nothing when a change is refused', async () => {
    const settings = WorkspaceSettingsService.fromStore(await open(storeCase.fresh()));
    await settings.update('G1', (current) => ({ ...current, blocklist: ['gore'] }));
    await expect(
      settings.update('G1', (current) => ({
        ...current,
        dms: false,
        blocklist: [...current.blocklist, 're:(a+)+'],
      })),
    ).rejects.toMatchObject({ code: 'blocklist_entry_invalid' });
    expect(await settings.get('G1')).toMatchObject({ dms: true, blocklist: ['gore'] });
  });

  it('keep every one of many simultaneous changes', async () => {
    const settings = WorkspaceSettingsService.fromStore(await open(storeCase.fresh()));
    const words = Array.from({ length: 20 }, (_, index) => `word${index}`);
    await Promise.all(
      words.map((word) =>
        settings.update('G1', (current) => ({
          ...current,
          blocklist: [...current.blocklist, word],
        })),
      ),
    );
    expect((await settings.get('G1')).blocklist.sort()).toEqual([...words].sort());
  });
});

describe.each(DURABLE_STORE_CASES)('workspace settings on the $name store', (storeCase) => {
  it('survive a restart', async () => {
    const location = storeCase.fresh();
    const before = await open(location);
    await WorkspaceSettingsService.fromStore(before).update('G1', (current) => ({
      ...current,
      roles: ['artists'],
      roleAllowances: { artists: 40 },
      blocklist: ['re:\\bgore\\b'],
      auditChannel: 'audit',
    }));
    await before.close();
    opened = opened.filter((store) => store !== before);

    const after = WorkspaceSettingsService.fromStore(await open(location));
    const settings = await after.get('G1');
    expect(settings).toMatchObject({
      roles: ['artists'],
      roleAllowances: { artists: 40 },
      auditChannel: 'audit',
    });
    expect(blockedBy('so much GORE', settings.blocklist)?.rule).toBe('re:\\bgore\\b');
  });
});

const redis = STORE_CASES.find((entry) => entry.name === 'redis');
describe.runIf(redis)('workspace settings shared by replicas on Redis', () => {
  it('show one replica’s change to the other, and lose none made on both at once', async () => {
    const location = redis!.fresh();
    const [first, second] = [
      WorkspaceSettingsService.fromStore(await open(location)),
      WorkspaceSettingsService.fromStore(await open(location)),
    ];
    await first.update('T1', (current) => ({ ...current, dms: false }));
    expect((await second.get('T1')).dms).toBe(false);

    const ids = Array.from({ length: 30 }, (_, index) => `C${index}`);
    await Promise.all(
      ids.map((id, index) =>
        (index % 2 === 0 ? first : second).update('T1', (current) => ({
          ...current,
          channels: { mode: 'deny', ids: [...current.channels.ids, id] },
        })),
      ),
    );
    expect((await first.get('T1')).channels.ids.sort()).toEqual([...ids].sort());
    expect((await second.get('T1')).dms).toBe(false);
  });
});

describe('PROMPT_BLOCKLIST_FILE', () => {
  const folder = mkdtempSync(join(tmpdir(), 'gib-blocklist-'));
  function file(name: string, text: string): string {
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  }

  it('is a path in the configuration, unset when empty', () => {
    const base = { AIGPTIMAGE_API_KEY: 'sk-test-key', DISCORD_TOKEN: 'discord-token' };
    expect(loadConfig({ ...base, PROMPT_BLOCKLIST_FILE: ' /etc/bot/blocked.txt ' })).toMatchObject({
      PROMPT_BLOCKLIST_FILE: '/etc/bot/blocked.txt',
    });
    expect(
      loadConfig({ ...base, PROMPT_BLOCKLIST_FILE: '' }).PROMPT_BLOCKLIST_FILE,
    ).toBeUndefined();
  });

  it('reads one entry a line, skipping comments and blank lines', async () => {
    const path = file(
      'ok.txt',
      '# shared by every server\r\ngore\n\n  red fox  \nre:\\bn[a@]ked\\b\n# re:(a+)+ is commented out\ngore\n',
    );
    expect(await readBlocklistFile(path)).toEqual({
      entries: ['gore', 'red fox', 're:\\bn[a@]ked\\b'],
    });
  });

  it('names the file, the line and the fix for a bad regular expression', async () => {
    const path = file('bad.txt', 'gore\n# note\nre:(unclosed\n');
    const result = await readBlocklistFile(path);
    const problem = 'problem' in result ? result.problem : '';
    expect(problem).toContain(`${path} line 3`);
    expect(problem).toContain('"re:(unclosed"');
    expect(problem).toMatch(/not a valid regular expression/);
    expect(problem).toMatch(/fix or remove that line$/);
    expect(problem.split('\n')).toHaveLength(1);
  });

  it('says when the file cannot be read and how to fix it', async () => {
    const path = join(folder, 'missing.txt');
    const result = await readBlocklistFile(path);
    expect('problem' in result && result.problem).toMatch(
      new RegExp(
        `^PROMPT_BLOCKLIST_FILE ${path} cannot be read \\(ENOENT\\): point it at a readable`,
      ),
    );
  });
});
