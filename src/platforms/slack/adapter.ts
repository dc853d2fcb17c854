import { App } from '@slack/bolt';
import type { Logger } from '../../log.js';
import { Conversation } from '../../conversation/index.js';
import type { AdapterContext, PlatformAdapter } from '../adapter.js';
import { boltLogger } from './bolt-logger.js';
import { registerCommands } from './commands/index.js';
import type { SlackContext } from './context.js';
import { SlackDelivery } from './delivery.js';
import { registerAppHome } from './interactions/app-home.js';
import { registerEditImage } from './interactions/edit-image.js';
import { registerGenerateModal } from './interactions/generate-modal.js';
import { registerResultButtons } from './interactions/result-buttons.js';
import { registerShare } from './interactions/share.js';
import { registerShortcut } from './interactions/shortcut.js';
import { slackPrivateFileFetcher } from './private-files.js';
import { slackProfile } from './profile.js';
import { auditLine } from './render/usage.js';
import { SlackApi } from './slack-api.js';
import { SLACK_PLATFORM } from './target.js';
import { httpTransport, socketModeTransport, type SlackTransport } from './transport.js';
import { UserLocales } from './user-locales.js';
import { createWebClient, webClientOptions } from './web-client.js';

export type SlackAdapterOptions = Omit<AdapterContext, 'simulatedImageApi'>;

/** Slack through Bolt: Socket Mode when SLACK_APP_TOKEN is set, otherwise signed HTTP on /slack/events. */
export class SlackAdapter implements PlatformAdapter {
  readonly platform = SLACK_PLATFORM;
  readonly delivery: SlackDelivery;
  private readonly app: App;
  private readonly transport: SlackTransport;
  private readonly logger: Logger;

  constructor(options: SlackAdapterOptions) {
    const { config } = options;
    const token = config.SLACK_BOT_TOKEN;
    if (!token) throw new Error('SLACK_BOT_TOKEN is required for the Slack adapter');
    this.logger = options.logger.child({ platform: SLACK_PLATFORM });
    const slack = new SlackApi(
      createWebClient(token, config.SLACK_API_URL, this.logger),
      this.logger,
    );
    this.delivery = new SlackDelivery(slack, this.logger, { fetcher: options.service.fetcher });

    if (config.SLACK_APP_TOKEN) {
      this.transport = socketModeTransport({
        appToken: config.SLACK_APP_TOKEN,
        slackApiUrl: config.SLACK_API_URL,
        logger: this.logger,
      });
    } else if (config.SLACK_SIGNING_SECRET) {
      this.transport = httpTransport({
        signingSecret: config.SLACK_SIGNING_SECRET,
        http: options.http,
        logger: this.logger,
      });
    } else {
      throw new Error(
        'Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)',
      );
    }

    this.app = new App({
      token,
      receiver: this.transport.receiver,
      clientOptions: webClientOptions(config.SLACK_API_URL, this.logger),
      logger: boltLogger(this.logger),
      // auth.test runs in start(), where a bad token stops start-up with a clear error.
      deferInitialization: true,
    });
    this.app.error((error) => {
      this.logger.error({ err: error }, 'unhandled error in a Slack handler');
      return Promise.resolve();
    });

    const context: SlackContext = {
      conversation: new Conversation({
        service: options.service,
        logger: this.logger,
        profile: {
          ...slackProfile,
          fetchPrivateSource: slackPrivateFileFetcher({ token, apiUrl: config.SLACK_API_URL }),
        },
        editing: options.editing,
        controls: options.controls,
        defaultLocale: config.DEFAULT_LOCALE,
      }),
      service: options.service,
      slack,
      logger: this.logger,
      adminUsers: new Set(config.SLACK_ADMIN_USERS ?? []),
      locales: new UserLocales(slack.web, this.logger, { fallback: config.DEFAULT_LOCALE }),
    };
    // One line per generation in a workspace's audit channel, joining it first when it is public.
    options.controls.auditFeed.register(SLACK_PLATFORM, async (channelId, event) => {
      await slack.postJoining(channelId, () =>
        slack.postMessage(channelId, auditLine(event, config.DEFAULT_LOCALE)),
      );
    });
    registerCommands(this.app, context);
    registerGenerateModal(this.app, context);
    registerShortcut(this.app, context);
    registerEditImage(this.app, context);
    registerResultButtons(this.app, context);
    registerShare(this.app, context);
    registerAppHome(this.app, context);
  }

  async start(): Promise<void> {
    await this.app.init();
    await this.transport.start();
    this.logger.info({ mode: this.transport.mode }, 'Slack adapter started');
  }

  async stop(): Promise<void> {
    await this.transport.stop();
  }

  isReady(): boolean {
    return this.transport.isReady();
  }
}
