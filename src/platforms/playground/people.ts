import type { PersonRef } from '../../conversation/index.js';

/** A pretend member of the playground's chat, so quotas and permissions can be tried out. */
export interface PlaygroundUser {
  id: string;
  name: string;
  role: 'member' | 'moderator';
  /** Replaces USER_DAILY_CREDITS for this person, so running out takes a couple of images. */
  dailyCredits?: number;
}

export interface PlaygroundChannel {
  id: string;
  name: string;
}

/** Each is described in the user switcher by the catalogue's `playground.page.person.<id>`. */
export const PLAYGROUND_USERS: readonly PlaygroundUser[] = [
  { id: 'ada', name: 'Ada', role: 'member' },
  { id: 'ben', name: 'Ben', role: 'member', dailyCredits: 3 },
  { id: 'mo', name: 'Mo', role: 'moderator' },
];

export const PLAYGROUND_CHANNELS: readonly PlaygroundChannel[] = [
  { id: 'general', name: 'general' },
  { id: 'showcase', name: 'showcase' },
];

export function findUser(id: unknown): PlaygroundUser | undefined {
  return PLAYGROUND_USERS.find((user) => user.id === id);
}

export function findChannel(id: unknown): PlaygroundChannel | undefined {
  return PLAYGROUND_CHANNELS.find((channel) => channel.id === id);
}

/** Quotas are per pretend person, apart from any Discord or Slack user. */
export function playgroundUserKey(userId: string): string {
  return `playground:${userId}`;
}

/** A pretend member named in typed text (`@ben` or `ben`), e.g. by the admin command. */
export function personNamed(token: string): PersonRef | undefined {
  const user = findUser(token.replace(/^@/, '').toLowerCase());
  return user && { key: playgroundUserKey(user.id), id: user.id };
}

/** A channel named in typed text (`#general` or `general`), e.g. by the admin's channel rules. */
export function channelNamed(token: string): string | undefined {
  return findChannel(token.replace(/^#/, '').toLowerCase())?.id;
}
