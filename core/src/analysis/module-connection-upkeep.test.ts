import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A module's own websocket to an upstream server, paced in module variables (round 31,
// test/real-world: a media statistics service counts its session socket's errors in the socket's
// error callback, resets the count when it opens, and sets the time of the next reconnect in the
// function that connects it), written here in a shape of our own. It is how this process's
// connection is doing: no user's count. The look-alike: the same module that only sends over its
// client and never connects it keeps no connection, so its counts stay counters.

afterAll(removeAnalysedProjects);

const socketModule = (call: 'connect' | 'send') => ({
  'src/upstream-socket.ts': `class UpstreamSocket {
  onOpen: () => void = () => undefined;
  onError: (error: unknown) => void = () => undefined;
  constructor(readonly url: string) {}
  async connect(): Promise<void> { this.onOpen(); }
  async send(_message: string): Promise<void> { this.onOpen(); }
  get open(): boolean { return true; }
}

let socket: UpstreamSocket | undefined;
let errorCount = 0;
let reconnectAt: number | null = null;

function initialize(url: string): void {
  socket = new UpstreamSocket(url);
  socket.onOpen = () => {
    errorCount = 0;
    reconnectAt = null;
  };
  socket.onError = () => {
    errorCount++;
  };
}

export async function liveSessions(url: string): Promise<string[]> {
  if (!socket) initialize(url);
  if (errorCount >= 3) {
    const now = Date.now();
    if (reconnectAt === null) reconnectAt = now + 60_000;
    if (now < reconnectAt) return [];
    reconnectAt = now + 60_000;
  }
  await socket!.${call}(${call === 'send' ? "'sessions'" : ''});
  return [];
}
`,
  'src/server.ts': `import express from 'express';
import { liveSessions } from './upstream-socket';

const app = express();
app.get('/sessions', async (_req, res) => res.json(await liveSessions('ws://upstream.local/socket')));
app.listen(3000);
`,
});

const RULES = ['no-in-memory-counter', 'no-in-process-lock', 'no-in-memory-session', 'no-process-local-cache'] as const;

describe("a module's bookkeeping of its own upstream socket", () => {
  it('the error count and the reconnect time stay quiet (untyped and typed)', () => {
    const files = socketModule('connect');
    expect(untyped(files, 'src/upstream-socket.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'src/upstream-socket.ts', [...RULES])).toEqual([]);
  });

  it('a module that never connects its client keeps no connection: its error count and reconnect time stay counters', () => {
    const files = socketModule('send');
    const result = untyped(files, 'src/upstream-socket.ts', [...RULES]);
    expect(result).toEqual(typed(files, 'src/upstream-socket.ts', [...RULES]));
    expect(result).toEqual([
      '11:5 no-in-memory-counter: `errorCount` counts in this process; it is changed by GET /sessions (src/server.ts:5). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
      '12:5 no-in-memory-counter: `reconnectAt` counts in this process; it is changed by GET /sessions (src/server.ts:5). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ]);
  });
});
