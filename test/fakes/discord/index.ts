import { DiscordFake, type DiscordFakeOptions } from './server.js';

export { InteractionHandle, textOf } from './handle.js';
export {
  DiscordFake,
  type CommandInput,
  type DiscordFakeOptions,
  type EndpointResponse,
  type HttpTampering,
  type InteractionsEndpoint,
  type RateLimitRule,
  type UserMessageInput,
} from './server.js';
export { MEMBER_PERMISSIONS, Permission } from './payloads.js';
export {
  current,
  MessageFlag,
  type FakeAttachment,
  type FakeMessage,
  type MessageRevision,
} from './state.js';
export type { FakeUpload, FakeUser } from './commands.js';

/** Starts the Discord fake on an ephemeral 127.0.0.1 port. */
export async function startDiscordFake(options: DiscordFakeOptions = {}): Promise<DiscordFake> {
  const fake = new DiscordFake(options);
  await fake.listen();
  return fake;
}
