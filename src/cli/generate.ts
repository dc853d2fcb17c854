#!/usr/bin/env node
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { ConfigError, loadConfig, loadDotEnv, SECRET_VARIABLES, type Config } from '../config.js';
import { ImageApiClient } from '../core/api/client.js';
import { isUserError } from '../core/errors.js';
import { GenerationService } from '../core/generation-service.js';
import { ImageDownloadError, ImageFetcher } from '../core/images.js';
import { parseGenerationText } from '../core/option-text.js';
import { DEFAULT_POLL_SCHEDULE } from '../core/poll-schedule.js';
import { openStore } from '../storage/open-store.js';
import type { JobRecord, JobView } from '../core/types.js';
import { createLogger } from '../log.js';
import { renderMessage } from '../core/messages.js';
import { translator, type Translator } from '../i18n/index.js';
import { terminalLocale } from './language.js';
import {
  ApiErrorRecorder,
  EXIT_CODES,
  explainApiError,
  explainFailedView,
  type OperatorVerdict,
} from './operator-messages.js';
import { prepareImages } from './images.js';
import { TerminalProgress } from './progress.js';

/** `--help`: what the command does, its options and its exit codes, in the terminal's language. */
const usage = (t: Translator) => t('cli.usage', { exitCodes: t('cli.exitCodes') });

interface CliArguments {
  text: string;
  outDir: string;
  /** Each `--image`, in order: a link or a local path. */
  images: string[];
}

export function parseCliArguments(
  argv: readonly string[],
  t: Translator = translator('en'),
): CliArguments | 'help' {
  const rest: string[] = [];
  const images: string[] = [];
  let outDir = './images';
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--out' || arg === '-o') {
      const value = argv[++index];
      if (!value) throw new Error(t('cli.outNeedsFolder'));
      outDir = value;
    } else if (arg.startsWith('--out=')) {
      outDir = arg.slice('--out='.length);
    } else if (arg === '--image') {
      // Read here, not by the prompt's grammar, so a path may hold spaces.
      const value = argv[++index];
      if (!value) throw new Error(t('cli.imageNeedsValue'));
      images.push(value);
    } else if (arg.startsWith('--image=')) {
      images.push(arg.slice('--image='.length));
    } else {
      rest.push(arg);
    }
  }
  return { text: rest.join(' '), outDir, images };
}

/** The source host's own notices would repeat the one line the operator gets; errors still show. */
function quietLogger(config: Config) {
  return createLogger({
    level: 'error',
    secrets: SECRET_VARIABLES.map((name) => config[name]),
    destination: pino.destination(2),
  });
}

/** Runs one generation end to end; returns the process exit code. */
export async function runGenerate(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const locale = terminalLocale(env);
  const t = translator(locale);
  let args: CliArguments | 'help';
  try {
    args = parseCliArguments(argv, t);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return EXIT_CODES.usage;
  }
  if (args === 'help') {
    process.stdout.write(`${usage(t)}\n`);
    return EXIT_CODES.saved;
  }

  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_CODES.usage;
    }
    throw error;
  }

  let input;
  try {
    input = parseGenerationText(args.text);
  } catch (error) {
    if (isUserError(error)) {
      process.stderr.write(`${renderMessage(error.code, error.params, locale)}\n\n${usage(t)}\n`);
      return EXIT_CODES.usage;
    }
    throw error;
  }

  const logger = createLogger({
    level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL,
    secrets: SECRET_VARIABLES.map((name) => config[name]),
    destination: pino.destination(2),
  });
  const client = new ImageApiClient({
    baseUrl: config.AIGPTIMAGE_BASE_URL,
    apiKey: config.AIGPTIMAGE_API_KEY,
    logger,
    // The operator is watching: a few quick tries, then say what is wrong.
    createRetry: { maxAttempts: 3, baseMs: 300, capMs: 2_000 },
  });
  const api = new ApiErrorRecorder(client);
  /** The API's own error when there was one (the operator's words), else the job's outcome. */
  const verdictFor = (failed?: Extract<JobView, { kind: 'failed' }>, taskId?: string) =>
    (api.lastError && explainApiError(api.lastError, config.AIGPTIMAGE_BASE_URL, t)) ??
    (failed ? explainFailedView(failed, taskId, t) : undefined);
  const report = ({ line, exitCode }: OperatorVerdict) => {
    process.stderr.write(`${line}\n`);
    return exitCode;
  };
  const store = await openStore('memory://');
  const fetcher = new ImageFetcher({
    apiBaseUrl: config.AIGPTIMAGE_BASE_URL,
    ...(config.FETCH_ALLOW_HOSTS ? { allowHosts: config.FETCH_ALLOW_HOSTS } : {}),
    // Nobody else waits on the terminal: passing failures are worth a few tries here.
    limits: { attempts: 3 },
  });
  const images = [...args.images, ...(input.images ?? [])];
  const prepared = images.length
    ? await prepareImages(images, {
        config,
        store,
        fetcher,
        logger: quietLogger(config),
        t,
        locale,
      })
    : undefined;
  if (prepared && 'exitCode' in prepared) {
    await fetcher.close();
    await client.close();
    await store.close();
    return report(prepared);
  }
  const progress = new TerminalProgress(process.stderr, t);
  let settle!: (result: { job: JobRecord; view: JobView }) => void;
  const finished = new Promise<{ job: JobRecord; view: JobView }>(
    (resolveFinished) => (settle = resolveFinished),
  );
  const service = new GenerationService({
    api,
    store,
    logger,
    fetcher,
    ...(prepared ? { sourceLinks: prepared.host.links } : {}),
    // One job at a time: a poll a second costs little and an operator checking a key is watching.
    poller: {
      schedule: {
        ...DEFAULT_POLL_SCHEDULE,
        priorDurationMs: { early: 1_000, late: 120_000 },
        targetIntervalMs: 1_000,
      },
    },
    quota: {
      dailyCredits: Number.MAX_SAFE_INTEGER,
      costs: config.CREDIT_COSTS,
      maxActivePerUser: 1,
    },
    deliveries: {
      terminal: {
        show: (job, view) => {
          if (view.kind === 'done' || view.kind === 'failed') settle({ job, view });
          else progress.update(view);
          return Promise.resolve();
        },
      },
    },
  });

  const interrupt = () => {
    progress.stop();
    process.stderr.write(`${t('cli.interrupted')}\n`);
    process.exit(EXIT_CODES.interrupted);
  };
  process.once('SIGINT', interrupt);

  try {
    await service.start();
    await service.request({
      requestId: `cli-${randomUUID()}`,
      user: { key: 'terminal', displayName: 'terminal' },
      prompt: input.prompt,
      options: input.options,
      ...(prepared ? { sources: prepared.sources } : {}),
      target: { platform: 'terminal' },
    });
    const { job, view } = await finished;
    progress.stop();
    if (view.kind !== 'done') {
      return report(
        verdictFor(view.kind === 'failed' ? view : undefined, job.taskId) ?? {
          exitCode: EXIT_CODES.failed,
          line: t('cli.notFinished'),
        },
      );
    }
    await mkdir(args.outDir, { recursive: true });
    const seconds = (view.elapsedMs / 1000).toFixed(1);
    process.stderr.write(`${t('cli.done', { seconds, taskId: job.taskId ?? '' })}\n`);
    let exitCode: number = EXIT_CODES.saved;
    for (const [index, url] of view.imageUrls.entries()) {
      try {
        const image = await service.fetcher.download(url);
        const extension = image.fileName.split('.').pop() ?? 'png';
        const path = resolve(args.outDir, `${job.requestId}-${index + 1}.${extension}`);
        await writeFile(path, image.bytes);
        process.stdout.write(`${path}\n`);
      } catch (error) {
        // A passing failure: the image exists at the API, so print where and nothing is lost. A
        // refused address (internal, not an image) is never echoed.
        const passing = error instanceof ImageDownloadError && error.transient;
        const saveFailed = passing ? 'cli.saveFailedAt' : 'cli.saveFailed';
        const reason = (error as Error).message;
        process.stderr.write(`${t(saveFailed, { index: index + 1, reason })}\n`);
        if (passing) process.stdout.write(`${url}\n`);
        exitCode = EXIT_CODES.failed;
      }
    }
    return exitCode;
  } catch (error) {
    progress.stop();
    return report(
      verdictFor() ?? {
        exitCode: EXIT_CODES.failed,
        line: isUserError(error)
          ? renderMessage(error.code, error.params, locale)
          : t('cli.failed', { reason: (error as Error).message }),
      },
    );
  } finally {
    process.off('SIGINT', interrupt);
    await service.stop();
    await prepared?.host.close();
    await service.fetcher.close();
    await client.close();
    await store.close();
  }
}

// npm's bin links are symlinks, so compare real paths.
const invokedDirectly =
  process.argv[1] !== undefined && import.meta.filename === realpathSync(process.argv[1]);
if (invokedDirectly) {
  loadDotEnv();
  process.exitCode = await runGenerate(process.argv.slice(2));
}
