import { describe, expect, it } from 'vitest';
import { adminIntent } from '../src/conversation/handlers/admin-text.js';
import type { PlatformProfile } from '../src/conversation/context.js';
import type { Place } from '../src/conversation/interaction.js';
import { isUserError } from '../src/core/errors.js';

const place: Place = { platform: 'slack', workspaceId: 'T1', channelId: 'C1', direct: false };
// Slack's way of writing mentions in command text.
const profile: PlatformProfile = {
  platform: 'slack',
  parsePerson: (token) => {
    const match = /^<@(U\w+)(\|[^>]*)?>$/.exec(token);
    return match ? { key: `slack:T1:${match[1]}`, id: match[1]! } : undefined;
  },
  parseChannel: (token) => /^<#(C\w+)(\|[^>]*)?>$/.exec(token)?.[1],
};

function read(text: string) {
  return adminIntent(text, place, profile);
}

function refusalOf(text: string): string | undefined {
  try {
    read(text);
    return undefined;
  } catch (error) {
    return isUserError(error) ? error.code : 'not a user error';
  }
}

describe('typed admin commands', () => {
  it('reads every setting an admin can type', () => {
    expect(read('')).toEqual({ kind: 'settings' });
    expect(read(' settings ')).toEqual({ kind: 'settings' });
    expect(read('help')).toEqual({ kind: 'admin-help' });
    expect(read('budget daily 500')).toEqual({
      kind: 'settings',
      change: { budget: { daily: 500 } },
    });
    expect(read('budget monthly default')).toEqual({
      kind: 'settings',
      change: { budget: { monthly: null } },
    });
    expect(read('channels allow <#C7|art> <#C8>')).toEqual({
      kind: 'settings',
      change: { channels: { mode: 'allow', ids: ['C7', 'C8'] } },
    });
    expect(read('channels all')).toEqual({
      kind: 'settings',
      change: { channels: { mode: 'all', ids: [] } },
    });
    expect(read('dms off')).toEqual({ kind: 'settings', change: { dms: false } });
    expect(read('blocklist add red  fox')).toEqual({
      kind: 'settings',
      change: { blocklist: { add: ['red  fox'] } },
    });
    expect(read('blocklist remove re:\\bfox\\b')).toEqual({
      kind: 'settings',
      change: { blocklist: { remove: ['re:\\bfox\\b'] } },
    });
    expect(read('audit-channel <#C9|audit>')).toEqual({
      kind: 'settings',
      change: { auditChannel: 'C9' },
    });
    expect(read('audit-channel off')).toEqual({ kind: 'settings', change: { auditChannel: null } });
    expect(read('usage')).toEqual({ kind: 'usage' });
    expect(read('usage <@U5|ada>')).toEqual({
      kind: 'usage',
      person: { key: 'slack:T1:U5', id: 'U5' },
    });
    expect(read('export')).toEqual({ kind: 'export' });
    expect(read('credits <@U5|ada> 3')).toEqual({
      kind: 'set-credits',
      person: { key: 'slack:T1:U5', id: 'U5' },
      daily: 3,
    });
  });

  it('answers anything it cannot read with the whole syntax', () => {
    for (const typed of [
      'frobnicate',
      'budget weekly 5',
      'budget daily -1',
      'budget daily lots',
      'channels allow',
      'channels allow general',
      'dms maybe',
      'blocklist add',
      'blocklist clear fox',
      'audit-channel',
      'export now',
      'credits ada 3',
    ]) {
      expect(refusalOf(typed), typed).toBe('admin_usage');
    }
  });
});
