import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordTestBed, type DiscordTestBed, closeTestBed } from './fakes/discord/harness.js';
import {
  current,
  MEMBER_PERMISSIONS,
  MessageFlag,
  Permission,
  textOf,
} from './fakes/discord/index.js';

/**
 * Over HTTP interactions the first answer is the endpoint's HTTP response, which cannot carry a
 * file: the chart and the CSV still arrive, attached to the private answer.
 */
let bed: DiscordTestBed;

beforeAll(async () => {
  bed = await startDiscordTestBed({ httpInteractions: true });
});

afterAll(() => closeTestBed(bed));

async function adminAnswer(subcommand: string) {
  const reply = await bed.fake.runCommand({
    name: 'imagine-admin',
    subcommand,
    user: bed.fake.user('admin'),
    memberPermissions: MEMBER_PERMISSIONS | Permission.ManageGuild,
  });
  const message = await reply.waitForResponse(
    (revision) => (revision.flags & MessageFlag.Loading) === 0,
    `the ${subcommand} answer`,
  );
  return current(message);
}

describe('/imagine-admin over HTTP interactions', () => {
  it('attaches the usage chart and the CSV export to private answers', async () => {
    const usage = await adminAnswer('usage');
    expect(usage.flags & MessageFlag.Ephemeral).toBe(MessageFlag.Ephemeral);
    expect(usage.attachments.map((file) => [file.filename, file.contentType])).toEqual([
      ['usage.png', 'image/png'],
    ]);
    expect(textOf(usage)).toContain('Today (UTC)\n0 credits\n0 generations\nnone finished');

    const exported = await adminAnswer('export');
    expect(exported.attachments).toHaveLength(1);
    expect(exported.attachments[0]!.bytes.toString('utf8')).toMatch(/^time,outcome,/);
    expect(textOf(exported)).toContain("This server's audit trail: 0 records");
    expect(bed.fake.endpointResponses.every((response) => response.status === 200)).toBe(true);
  });
});
