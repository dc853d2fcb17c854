import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The environment a person's shell would give: a PATH and a home, nothing of ours. */
export function bareEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...extra };
}

/** A loopback port nothing listens on: taken from the OS, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real process of ours (the bot, the terminal command, the deploy script), its output kept. */
export class ProcessUnderTest {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(command: string, args: string[], options: SpawnOptions) {
    this.child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  /** `tsx <script>` from the repository, as the npm scripts run it. */
  static tsx(script: string, args: string[], options: SpawnOptions): ProcessUnderTest {
    return new ProcessUnderTest(
      `${ROOT}/node_modules/.bin/tsx`,
      [`${ROOT}/${script}`, ...args],
      options,
    );
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  /** Resolves with the first JSON log line whose msg matches; rejects if the process exits first. */
  waitForLog(msg: string, timeoutMs = 90_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const look = () => {
        for (const line of this.stdout.split('\n')) {
          if (!line.startsWith('{')) continue;
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (entry.msg === msg) return finish(() => resolve(entry));
        }
      };
      const timer = setTimeout(
        () =>
          finish(() => reject(new Error(`no "${msg}" within ${timeoutMs} ms:\n${this.output}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.child.stdout!.off('data', look);
        settle();
      };
      this.child.stdout!.on('data', look);
      void this.exited.then((code) =>
        finish(() => reject(new Error(`exited with ${code} before "${msg}":\n${this.output}`))),
      );
      look();
    });
  }

  /** Stops the process as `docker stop` would, and waits for it. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}
