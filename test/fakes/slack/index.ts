export { mentionsIn } from './blocks.js';
export { FAKE_APP_TOKEN, FAKE_BOT_TOKEN, FakeSlack, startFakeSlack } from './server.js';
export type { AckResult, RecordedCall, SlashCommandResult } from './server.js';
export type { EphemeralMessage, FakeFile, FakeMessage, OpenedView } from './workspace.js';
