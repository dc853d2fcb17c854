import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlaygroundUser } from './people.js';
import { canSee, type ChatRoom, type RoomEvent } from './room.js';

/** Proxies drop quiet connections; a comment line now and then keeps the stream open. */
const KEEP_ALIVE_MS = 15_000;

/**
 * Server-Sent Events: one stream per open page, carrying the messages its viewer may see. SSE
 * rather than WebSocket because updates only flow to the page; commands are ordinary POSTs.
 */
export class LiveUpdates {
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly room: ChatRoom) {}

  open(
    request: IncomingMessage,
    response: ServerResponse,
    viewer: PlaygroundUser,
    snapshot: Record<string, unknown>,
  ): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    const send = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
    send({ ...snapshot, type: 'snapshot', messages: this.room.visibleTo(viewer.id) });
    const unsubscribe = this.room.subscribe((event: RoomEvent) => {
      if (event.type === 'upsert' && !canSee(event.message, viewer.id)) return;
      send(event);
    });
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    keepAlive.unref();
    this.streams.add(response);
    const close = () => {
      clearInterval(keepAlive);
      unsubscribe();
      this.streams.delete(response);
    };
    request.on('close', close);
    response.on('close', close);
  }

  /** Ends every stream, so the HTTP server can close; the pages reconnect when it is back. */
  closeAll(): void {
    for (const response of this.streams) response.end();
    this.streams.clear();
  }
}
