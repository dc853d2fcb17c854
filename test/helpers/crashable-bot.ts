import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobStore } from '../../src/core/jobs.js';
import { openStore } from '../../src/storage/open-store.js';
import type { JobRecord } from '../../src/core/types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The whole bot as a child process (test/harness/bot.ts), so a test can crash it for real with
 * SIGKILL and start another on the same store, the way a machine failure and a restart would.
 */
export class CrashableBot {
  /** The tail of what the bot logged, to explain a failure. */
  log = '';
  readonly httpPort: Promise<number>;
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    child.stderr!.on('data', (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-20_000);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.httpPort = new Promise((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /READY (\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      void this.exited.then(() => reject(new Error(`the bot exited: ${this.log.slice(-2_000)}`)));
    });
  }

  /** Starts the bot with exactly this environment (and a PATH); resolves once it is up. */
  static async start(env: Record<string, string>): Promise<CrashableBot> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/harness/bot.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bot = new CrashableBot(child);
    await bot.httpPort;
    return bot;
  }

  /** A crash: nothing is flushed, no shutdown hook runs. Resolves once the process is gone. */
  async crash(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** A fresh SQLite file: the store a crashed bot and its successor share. */
export function freshSqliteUrl(): string {
  return `sqlite://${join(mkdtempSync(join(tmpdir(), 'exactly-once-')), 'bot.sqlite')}`;
}

/** Every job record in the store, read the way the bot reads them. */
export async function jobsIn(storeUrl: string): Promise<JobRecord[]> {
  const store = await openStore(storeUrl);
  try {
    const jobs = new JobStore(store);
    const found: JobRecord[] = [];
    for await (const requestId of store.keys('jobs')) {
      const job = await jobs.get(requestId);
      if (job) found.push(job);
    }
    return found;
  } finally {
    await store.close();
  }
}

/** Waits until every job in the store has ended, and returns them. */
export async function finishedJobs(storeUrl: string, timeoutMs = 20_000): Promise<JobRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await jobsIn(storeUrl);
    if (jobs.length > 0 && jobs.every((job) => job.state === 'done' || job.state === 'failed'))
      return jobs;
    if (Date.now() > deadline)
      throw new Error(`jobs not finished: ${JSON.stringify(jobs.map((job) => job.state))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
