import { randomBytes } from 'node:crypto';
import { httpListenHost } from '../../config.js';
import type { GenerationService } from '../../core/generation-service.js';
import { Conversation } from '../../conversation/index.js';
import type { AdapterContext, PlatformAdapter } from '../adapter.js';
import { PlaygroundAccess } from './access.js';
import { AttachedFiles } from './attached-files.js';
import { auditLinePoster } from './audit-lines.js';
import { loadAssets } from './assets.js';
import type { PlaygroundContext } from './context.js';
import { PlaygroundDelivery } from './delivery.js';
import { ImageShelf } from './image-shelf.js';
import { LiveUpdates } from './live.js';
import { PLAYGROUND_PATH, PLAYGROUND_PLATFORM } from './paths.js';
import { channelNamed, personNamed, playgroundUserKey, PLAYGROUND_USERS } from './people.js';
import { ChatRoom } from './room.js';
import { thumbnailsOf } from './thumbnails.js';
import { UploadShelf } from './uploads.js';
import { registerRoutes } from './routes.js';
import { playgroundWording } from './wording.js';

/** The simulated API fails prompts containing this, like a content-policy refusal. */
export const SIMULATED_FAIL_MARKER = '[fail]';

/** `simulatedImageApi` is said, not assumed: the page labels every image as simulated. */
export type PlaygroundAdapterOptions = AdapterContext & { simulatedImageApi: boolean };

/**
 * A web page that behaves like a chat channel, served on HTTP_PORT: the third platform, over the
 * same core, Delivery port, option parser and message catalogue as Discord and Slack.
 */
export class PlaygroundAdapter implements PlatformAdapter {
  readonly platform = PLAYGROUND_PLATFORM;
  readonly delivery: PlaygroundDelivery;
  private readonly context: PlaygroundContext;
  private readonly service: GenerationService;
  private readonly live: LiveUpdates;
  private started = false;

  constructor(options: PlaygroundAdapterOptions) {
    const logger = options.logger.child({ platform: PLAYGROUND_PLATFORM });
    const room = new ChatRoom();
    const images = new ImageShelf();
    const uploads = new UploadShelf();
    const sentUploads = new Map<string, string[]>();
    this.delivery = new PlaygroundDelivery({
      room,
      images,
      simulated: options.simulatedImageApi,
      defaultLocale: options.config.DEFAULT_LOCALE,
      fetcher: options.service.fetcher,
      thumbnails: (job, locale) => thumbnailsOf(job, { images, uploads, sentUploads }, locale),
    });
    const conversation = new Conversation({
      service: options.service,
      logger,
      profile: {
        platform: PLAYGROUND_PLATFORM,
        wording: playgroundWording,
        parsePerson: personNamed,
        parseChannel: channelNamed,
        ...(options.simulatedImageApi ? { failMarker: SIMULATED_FAIL_MARKER } : {}),
        fetchPrivateSource: (source) => uploads.fetch(source),
      },
      editing: options.editing,
      controls: options.controls,
    });
    options.controls.auditFeed.register(
      PLAYGROUND_PLATFORM,
      auditLinePoster(room, options.config.DEFAULT_LOCALE),
    );
    this.service = options.service;
    this.context = {
      conversation,
      room,
      images,
      files: new AttachedFiles(),
      uploads,
      sentUploads,
      sentSteps: new Map(),
      fetcher: options.service.fetcher,
      logger,
      simulated: options.simulatedImageApi,
      defaultLocale: options.config.DEFAULT_LOCALE,
    };
    this.live = new LiveUpdates(room);
    const assets = loadAssets();
    if (!assets) logger.warn('the playground page files are missing; the page cannot be served');
    registerRoutes(options.http, {
      context: this.context,
      live: this.live,
      assets,
      access: new PlaygroundAccess({
        listenHost: httpListenHost(options.config),
        token: options.config.PLAYGROUND_TOKEN,
      }),
      bootId: randomBytes(8).toString('hex'),
    });
  }

  async start(): Promise<void> {
    // Some pretend users have a smaller allowance, so running out of credits can be tried quickly.
    for (const user of PLAYGROUND_USERS) {
      if (user.dailyCredits !== undefined)
        await this.service.setDailyCredits(playgroundUserKey(user.id), user.dailyCredits);
    }
    this.started = true;
    this.context.logger.info({ path: PLAYGROUND_PATH }, 'playground started');
  }

  stop(): Promise<void> {
    this.started = false;
    this.live.closeAll();
    return Promise.resolve();
  }

  isReady(): boolean {
    return this.started;
  }
}
