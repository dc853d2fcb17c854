import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  BotChildOptions,
  ChildMessage,
  MemoryReport,
  ParentMessage,
} from '../scenarios/bot-child.js';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;

/** The bot running in a child process (bench/scenarios/bot-child.ts), driven over IPC. */
export class BotProcess {
  private stderr = '';
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    child.stderr?.on('data', (chunk: Buffer) => {
      // Keep only the tail: enough to explain a failure, never a growing buffer.
      this.stderr = (this.stderr + chunk.toString()).slice(-20_000);
    });
    child.once('exit', () => (this.exited = true));
  }

  static async start(options: BotChildOptions): Promise<BotProcess> {
    const childPath = fileURLToPath(new URL('../scenarios/bot-child.ts', import.meta.url));
    const child = fork(childPath, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BENCH_BOT_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const bot = new BotProcess(child);
    try {
      await bot.next('ready', START_TIMEOUT_MS);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return bot;
  }

  /** The last lines the bot logged (warnings and errors), to explain a missed figure. */
  get log(): string {
    return this.stderr;
  }

  async memory(): Promise<MemoryReport> {
    this.send({ type: 'report' });
    return (await this.next('report', 5_000)) as MemoryReport;
  }

  resetPeak(): void {
    this.send({ type: 'reset-peak' });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private send(message: ParentMessage): void {
    if (!this.exited) this.child.send(message);
  }

  private next(type: ChildMessage['type'], timeoutMs: number): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return;
        cleanup();
        resolve(message);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`the bot exited (${code}) before "${type}": ${this.stderr.slice(-800)}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no "${type}" from the bot within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
  }
}
