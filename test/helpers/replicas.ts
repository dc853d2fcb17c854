import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import type { JobView, PoolCharge } from '../../src/core/types.js';
import {
  startImageApiSimulator,
  type ImageApiSimulator,
  type SimulatorOptions,
} from '../fakes/image-api/index.js';

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
    pools?: PoolCharge[];
  }): Promise<{
    accepted: boolean;
    duplicate?: boolean;
    code?: string;
  }>;
  kill(signal: NodeJS.Signals): Promise<void>;
  /** The JSON log lines (LOG_LEVEL permitting) whose message starts with this text. */
  logs(message: string): Array<Record<string, unknown>>;
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
    logs(message) {
      return output
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => typeof entry.msg === 'string' && entry.msg.startsWith(message));
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/**
 * What a multi-replica test needs: the fake image API, the recorder of what users see, and
 * replicas on one Redis under a key prefix of their own. close() kills whatever is still running.
 */
export class ReplicaRig {
  readonly replicas: Replica[] = [];
  readonly prefix = `replicas-${randomBytes(5).toString('hex')}:`;

  private constructor(
    readonly sim: ImageApiSimulator,
    readonly recorder: ViewRecorder,
  ) {}

  static async start(simulator: SimulatorOptions = {}): Promise<ReplicaRig> {
    const recorder = new ViewRecorder();
    await recorder.start();
    return new ReplicaRig(await startImageApiSimulator(simulator), recorder);
  }

  async replica(env: Record<string, string>): Promise<Replica> {
    const started = await startReplica({
      STORE_PREFIX: this.prefix,
      API_URL: this.sim.url,
      RECORDER_URL: this.recorder.url,
      ...env,
    });
    this.replicas.push(started);
    return started;
  }

  /** The first "generating" view of the job: which process started working it, and when. */
  working(requestId: string, timeoutMs = 10_000): Promise<RecordedView> {
    return this.recorder.waitFor(
      () =>
        this.recorder.views.find(
          (entry) => entry.requestId === requestId && entry.view.kind === 'generating',
        ),
      timeoutMs,
      'a replica to start working the job',
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.kill('SIGKILL')));
    await this.recorder.close();
    await this.sim.close();
  }
}

/**
 * A load balancer in front of several bot replicas: each request goes, whole, to the next replica
 * in turn (round robin), and its answer comes back unchanged, as an HTTP balancer's would.
 */
export interface RoundRobin {
  url: string;
  /** How many requests each replica was handed, in the order the replicas were given. */
  readonly handed: number[];
  close(): Promise<void>;
}

export async function startRoundRobin(replicaOrigins: readonly string[]): Promise<RoundRobin> {
  const handed = replicaOrigins.map(() => 0);
  let next = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = next++ % replicaOrigins.length;
      handed[index]!++;
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length')
          headers.set(name, value);
      }
      fetch(`${replicaOrigins[index]}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      }).then(
        async (answer) => {
          const contentType = answer.headers.get('content-type');
          response.writeHead(answer.status, contentType ? { 'content-type': contentType } : {});
          response.end(Buffer.from(await answer.arrayBuffer()));
        },
        () => {
          response.writeHead(502);
          response.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    handed,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Reads `read` until `done` says so (or 10 s pass) and returns the last value read: for what bots
 * write to their store just after the member is answered (a refund, a finished audit event).
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 10_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** A sample's value in a Prometheus text exposition (/metrics), by its name and labels as written. */
export function metricSample(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
