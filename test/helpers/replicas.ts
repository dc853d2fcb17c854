import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import type { JobView } from '../../src/core/types.js';

export interface RecordedView {
  pid: number;
  requestId: string;
  view: JobView;
}

/** Collects the views every replica shows, as one chat channel would see them. */
export class ViewRecorder {
  readonly views: RecordedView[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.views.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedView);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/`;
  }

  finals(requestId?: string): RecordedView[] {
    return this.views.filter(
      (entry) =>
        (entry.view.kind === 'done' || entry.view.kind === 'failed') &&
        (requestId === undefined || entry.requestId === requestId),
    );
  }

  async waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

export interface Replica {
  pid: number;
  /** Every line the process wrote to stdout (its JSON log lines included). */
  readonly output: readonly string[];
  /** How the process ended: its exit code, or the signal that killed it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  request(body: {
    requestId: string;
    userKey: string;
    prompt?: string;
    resolution?: string;
  }): Promise<{
    accepted: boolean;
    duplicate?: boolean;
    code?: string;
  }>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts test/harness/replica.ts as its own process; resolves once it is taking requests. */
export async function startReplica(env: Record<string, string>): Promise<Replica> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/harness/replica.ts'],
    {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const output: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output.push(line);
      const match = /^READY (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) =>
      reject(new Error(`replica exited with ${code} before it was ready`)),
    );
  });
  return {
    pid: child.pid!,
    output,
    exited,
    async request(body) {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      return (await response.json()) as { accepted: boolean; duplicate?: boolean; code?: string };
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
