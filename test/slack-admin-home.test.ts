import { describe, expect, it } from 'vitest';
import type { OpenedView } from './fakes/slack/index.js';
import {
  ADMIN,
  ALICE,
  ART,
  BOB,
  GENERAL,
  dmOf,
  harnessPerTest,
  messageText,
  privateAnswer,
  until,
  type SlackHarness,
} from './fakes/slack/harness.js';

const harness = harnessPerTest();
let h: SlackHarness | undefined;

const text = messageText;
const DM = dmOf;
const command = (user: string, typed: string, channel = GENERAL) =>
  privateAnswer(h!, user, typed, channel);

/** Opens the App Home tab and waits for the newly published one. */
async function openHome(user: string): Promise<string> {
  const before = h!.fake.workspace.homeViews.get(user)?.length ?? 0;
  await h!.fake.openAppHome(user);
  return until(
    () =>
      (h!.fake.workspace.homeViews.get(user)?.length ?? 0) > before &&
      JSON.stringify(h!.fake.homeOf(user)),
    `${user}'s home tab`,
  );
}

async function openSettingsModal(user: string): Promise<OpenedView> {
  await openHome(user);
  const before = h!.fake.viewsOpenedBy(user).length;
  await h!.fake.clickInHome({ userId: user, actionId: 'imagine_edit_settings' });
  return until(() => h!.fake.viewsOpenedBy(user)[before], 'the settings modal');
}

describe('App Home workspace controls', () => {
  it('admins see the settings and buttons; members see none; everyone sees the workspace pool', async () => {
    h = await harness.start({ mode: 'socket', env: { SERVER_DAILY_CREDITS: '40' } });
    const admin = await openHome(ADMIN);
    expect(admin).toContain('Workspace controls');
    expect(admin).toContain('Daily budget: 40 credits (operator default)');
    expect(admin).toContain('Generation works in: every channel');
    for (const action of ['imagine_edit_settings', 'imagine_usage_report', 'imagine_export_csv'])
      expect(admin).toContain(action);
    const member = await openHome(ALICE);
    expect(member).toContain('Your images');
    expect(member).toContain('*40 of 40* credits left today in this workspace');
    expect(member).not.toContain('Workspace controls');
    expect(member).not.toContain('imagine_edit_settings');
  });

  it('an admin edits the settings in the modal: they apply at once, and a change made meanwhile by command is kept', async () => {
    h = await harness.start({ mode: 'socket' });
    const modal = await openSettingsModal(ADMIN);
    const shown = JSON.stringify(modal.view.blocks);
    for (const part of [
      'radio_buttons',
      'multi_conversations_select',
      'checkboxes',
      '"multiline":true',
    ])
      expect(shown).toContain(part);
    await command(ADMIN, 'admin blocklist add owl');
    const saved = await h.fake.submitView({
      userId: ADMIN,
      view: modal,
      values: {
        daily_budget: '7',
        channel_mode: 'allow',
        channels: { conversations: [ART] },
        dms: { options: [] },
        blocklist: 'fox\nre:wol(f|ves)',
        audit_channel: { conversation: GENERAL },
      },
    });
    expect(saved.body.response_action).toBeUndefined();
    const home = await until(() => {
      const latest = JSON.stringify(h!.fake.homeOf(ADMIN));
      return latest.includes('Daily budget: 7 credits') && latest;
    }, 'the home tab with the saved settings');
    expect(home).toContain(`Generation works in: only <#${ART}>`);
    expect(home).toContain('Direct messages with me: off');
    expect(home).toContain(`Audit channel: <#${GENERAL}>`);

    const read = await command(ADMIN, 'admin settings');
    for (const entry of ['`fox`', '`re:wol(f|ves)`', '`owl`']) expect(read).toContain(entry);
    expect(await command(ALICE, 'a fox', ART)).toContain('A rule of this workspace blocks');
    expect(await command(ALICE, 'an owl', ART)).toContain('A rule of this workspace blocks');
    expect(await command(ALICE, 'a heron', GENERAL)).toContain(`<#${ART}>`);
    expect(h.sim.createdTaskCount).toBe(0);

    // Sent again unchanged, the form changes nothing (no "settings changed" log line).
    const again = await openSettingsModal(ADMIN);
    const changesBefore = h.logs.filter((line) => line.includes('server settings changed')).length;
    await h.fake.submitView({ userId: ADMIN, view: again, values: {} });
    await openHome(ADMIN);
    expect(h.logs.filter((line) => line.includes('server settings changed'))).toHaveLength(
      changesBefore,
    );
    expect(await command(ADMIN, 'admin settings')).toContain('Daily budget: 7 credits');
  });

  it.each(['socket', 'http'] as const)(
    'mistakes are shown in the modal next to their field, and nothing is saved (%s)',
    async (mode) => {
      h = await harness.start({ mode });
      const modal = await openSettingsModal(ADMIN);
      const notNumber = await h.fake.submitView({
        userId: ADMIN,
        view: modal,
        values: { daily_budget: 'lots', blocklist: 'fox' },
      });
      expect(notNumber.body.response_action).toBe('errors');
      expect(notNumber.body.errors).toEqual({
        daily_budget: `"lots" is not a number of credits. Type a whole number, 0 or more, or leave it empty for the operator's default.`,
      });
      const badRule = await h.fake.submitView({
        userId: ADMIN,
        view: modal,
        values: { blocklist: 'fox\nre:(unclosed' },
      });
      expect(badRule.body.response_action).toBe('errors');
      expect(Object.keys(badRule.body.errors as object)).toEqual(['blocklist']);
      expect(JSON.stringify(badRule.body.errors)).toContain(
        'The blocklist entry \\"re:(unclosed\\" was not saved',
      );
      const read = await command(ADMIN, 'admin settings');
      expect(read).not.toContain('`fox`');
      expect(read).toContain('Daily budget: no cap');
    },
  );

  it('Usage report and Export CSV send their files to the admin’s DM', async () => {
    h = await harness.start({ mode: 'socket' });
    await h.fake.slashCommand({ text: 'a teapot', userId: ALICE, channelId: GENERAL });
    await until(() => h!.fake.messagesIn(GENERAL).some((m) => m.files.length > 0), 'the result');
    await openHome(ADMIN);
    await h.fake.clickInHome({ userId: ADMIN, actionId: 'imagine_usage_report' });
    await h.fake.clickInHome({ userId: ADMIN, actionId: 'imagine_export_csv' });
    const files = await until(() => {
      const withFiles = h!.fake.messagesIn(DM(ADMIN)).filter((m) => m.files.length === 1);
      return withFiles.length === 2 && withFiles;
    }, 'two files in the DM');
    const names = files.map((m) => h!.fake.workspace.files.get(m.files[0]!)!.name).sort();
    expect(names[0]).toMatch(/^image-audit-\d{4}-\d\d-\d\d\.csv$/);
    expect(names[1]).toBe('usage.png');
    const numbers = await until(
      () =>
        h!.fake
          .messagesIn(DM(ADMIN))
          .map(text)
          .find((t) => t.includes('*Today*')),
      'the usage numbers',
    );
    expect(numbers).toContain('*Today*: 1 credit · 1 generation (1 succeeded, 0 failed)');
  });

  it('a member’s forged clicks and form are refused in their DM, and change nothing', async () => {
    h = await harness.start({ mode: 'socket' });
    await openHome(ADMIN);
    const adminHome = h.fake.homeOf(ADMIN)!;
    const modal = await openSettingsModal(ADMIN);
    for (const actionId of ['imagine_edit_settings', 'imagine_usage_report', 'imagine_export_csv'])
      await h.fake.clickInHome({ userId: BOB, actionId, home: adminHome });
    await h.fake.submitView({ userId: BOB, view: modal, values: { daily_budget: '1' } });
    const refusals = await until(() => {
      const dm = h!.fake.messagesIn(DM(BOB));
      return dm.length === 4 && dm;
    }, 'four refusals in the DM');
    for (const refusal of refusals) {
      expect(text(refusal)).toContain('Only workspace admins and owners');
      expect(refusal.files).toEqual([]);
    }
    expect(h.fake.viewsOpenedBy(BOB)).toEqual([]);
    expect(await command(ADMIN, 'admin settings')).toContain('Daily budget: no cap');
  });

  it('a member listed in SLACK_ADMIN_USERS gets the controls', async () => {
    h = await harness.start({ mode: 'socket', env: { SLACK_ADMIN_USERS: `${ALICE},W0OTHER` } });
    expect(await openHome(ALICE)).toContain('Workspace controls');
    expect(await openHome(BOB)).not.toContain('Workspace controls');
  });
});
