import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLASH_COMMAND } from '../src/platforms/slack/commands/index.js';
import { SHORTCUT_EDIT_IMAGE, SHORTCUT_GENERATE } from '../src/platforms/slack/render/ids.js';

const manifest = readFileSync(new URL('../commands/slack-manifest.yml', import.meta.url), 'utf8');

/** The value of a `key: value` line, ignoring comments. */
function values(key: string): string[] {
  return [
    ...manifest.matchAll(new RegExp(`^\\s*-?\\s*${key}:\\s*([^#\\n]+?)\\s*(?:#.*)?$`, 'gm')),
  ].map((match) => match[1]!);
}

function list(key: string): string[] {
  const start = manifest.search(new RegExp(`^\\s*${key}:\\s*$`, 'm'));
  if (start < 0) return [];
  const lines = manifest.slice(start).split('\n').slice(1);
  const items: string[] = [];
  for (const line of lines) {
    const item = /^\s*-\s*([^\s#]+)/.exec(line);
    if (!item) break;
    items.push(item[1]!);
  }
  return items;
}

describe('the Slack app manifest a newcomer pastes', () => {
  it('declares the command, shortcut, App Home, interactivity and Socket Mode the code expects', () => {
    expect(values('command')).toEqual([SLASH_COMMAND]);
    expect(values('callback_id')).toEqual([SHORTCUT_GENERATE, SHORTCUT_EDIT_IMAGE]);
    expect(values('should_escape')).toEqual(['true']);
    expect(values('home_tab_enabled')).toEqual(['true']);
    expect(values('messages_tab_enabled')).toEqual(['true']);
    expect(values('is_enabled')).toEqual(['true']);
    expect(values('socket_mode_enabled')).toEqual(['true']);
    expect(list('bot_events')).toEqual(['app_home_opened']);
  });

  it('offers "Edit image" in a message\'s menu (a message shortcut) and "Generate image" everywhere', () => {
    const shortcut = (callbackId: string) =>
      new RegExp(`- name: ([^\\n]+)\\n\\s+type: (\\w+)\\n\\s+callback_id: ${callbackId}\\n`).exec(
        manifest,
      );
    expect(shortcut(SHORTCUT_EDIT_IMAGE)?.slice(1)).toEqual(['Edit image', 'message']);
    expect(shortcut(SHORTCUT_GENERATE)?.slice(1)).toEqual(['Generate image', 'global']);
  });

  it('asks for exactly the bot scopes the adapter uses', () => {
    expect(list('bot').sort()).toEqual(
      [
        'channels:join',
        'channels:read',
        'groups:read',
        'chat:write',
        'commands',
        'files:read',
        'files:write',
        'im:write',
        'users:read',
      ].sort(),
    );
  });
});
