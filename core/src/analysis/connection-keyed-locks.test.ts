import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A busy set keyed by the id of the caller's own connection (round 37b of test/real-world, a typing-race
// server's `Locker.runIfOpen(socket.id, async () => …)`, which keeps one socket from starting two races
// at once): a socket lives on one instance, so every event it sends is handled there and the set
// excludes all there is to exclude. Look-alike: the same helper, keyed by the room a client names,
// which two clients on two instances can take at once.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-process-lock'];

const locker = (keyedBy: 'socket' | 'room'): Record<string, string> => ({
  'package.json': '{ "name": "races", "dependencies": { "socket.io": "4" } }',
  'src/locker.ts': `const lockedIds = new Set<string>();

export async function runIfOpen<T>(lockId: string, work: () => Promise<T>): Promise<T | undefined> {
  if (lockedIds.has(lockId)) return undefined;
  lockedIds.add(lockId);
  try {
    return await work();
  } finally {
    lockedIds.delete(lockId);
  }
}

export function release(lockId: string): void {
  lockedIds.delete(lockId);
}
`,
  'src/races.ts': `export const races = { create: async (owner: string) => owner, join: async (id: string, user: string) => id + user };
`,
  'src/server.ts': `import { Server } from 'socket.io';
import { runIfOpen, release } from './locker';
import { races } from './races';

const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('play', async () => {
    const socketId = socket.id;
    await runIfOpen(socketId, () => races.create(socket.id));
  });
  socket.on('join', async (room: string) => {
    await runIfOpen(${keyedBy === 'socket' ? 'socket.id' : 'room'}, () => races.join(room, socket.id));
  });
  socket.on('disconnect', () => release(socket.id));
});
`,
});

describe("a lock keyed by the caller's own connection", () => {
  it('every request path takes it with the socket id: per connection, quiet', () => {
    expect(untyped(locker('socket'), 'src/locker.ts', RULES)).toEqual([]);
    expect(typed(locker('socket'), 'src/locker.ts', RULES)).toEqual([]);
  });

  it('one path takes it with a room the client names: reported', () => {
    const expected = [
      '1:7 no-in-process-lock: `lockedIds` guards work only within this process; it is taken by socket connection (src/server.ts:6) and 3 other handlers. A request on another instance does not see it and runs the same work at the same time.',
    ];
    expect(untyped(locker('room'), 'src/locker.ts', RULES)).toEqual(expected);
    expect(typed(locker('room'), 'src/locker.ts', RULES)).toEqual(expected);
  });
});
