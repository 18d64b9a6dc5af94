import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';
import type { RuleId } from '../types';

// A WebRTC SFU's signalling server (held-out round 35b, test/real-world: mediasoup's demo server; the
// public SFUs built on mediasoup keep the same shape), written here in a shape of our own:
// - protoo-server's `connectionrequest` listener is each peer's WebSocket handshake, and a peer's
//   `request` listener (`peer = room.createPeer(…)`) each of its messages: requests, as socket.io's are;
// - Express's `app.param('roomId', (req, res, next, roomId) => …)` runs before every route naming the parameter;
// - awaitqueue's `AwaitQueue` runs what is pushed one task at a time: a lock of this process;
// - rooms kept in a module Map, made by the class's static factory (`room = await Room.create(…)`), whose
//   methods notify each joined protoo peer (`peer.notify(…)`): fan-out to this instance's peers only;
// - `workers[next]`, `if (++next === workers.length) next = 0`: a round-robin cursor over this
//   process's workers, no one's count.

afterAll(removeAnalysedProjects);

const server = (cursor: string, startUpOnly = false) => `import express from 'express';
import http from 'node:http';
import * as protoo from 'protoo-server';
import { AwaitQueue } from 'awaitqueue';
import { Room } from './room';

const queue = new AwaitQueue();
const rooms = new Map();
const workers: string[] = ['w1', 'w2'];
let nextWorkerIdx = 0;

function nextWorker(): string {
  const worker = workers[nextWorkerIdx];
  ${cursor}
  return worker;
}

async function getOrCreateRoom(roomId: string): Promise<Room> {
  let room = rooms.get(roomId);
  if (!room) {
    room = await Room.create(roomId, nextWorker());
    rooms.set(roomId, room);
  }
  return room;
}

const app = express();
${startUpOnly ? "queue.push(async () => { await getOrCreateRoom('lobby'); });" : `app.param('roomId', (req, res, next, roomId) => {
  queue.push(async () => {
    res.locals.room = await getOrCreateRoom(String(roomId));
    next();
  }).catch(next);
});`}
app.get('/rooms/:roomId', (req, res) => res.json({ id: res.locals.room?.id }));

const server = http.createServer(app);
const wss = new protoo.WebSocketServer(server);
wss.on('connectionrequest', (info: any, accept: () => unknown, reject: (e: unknown) => void) => {
  const roomId = String(new URL(info.request.url, 'http://localhost').searchParams.get('roomId'));
  ${startUpOnly ? 'getOrCreateRoom(roomId).then((room) => room.handleConnection(String(info.request.headers.peer), accept()), reject);' : `queue.push(async () => {
    const room = await getOrCreateRoom(roomId);
    room.handleConnection(String(info.request.headers.peer), accept());
  }).catch(reject);`}
});
server.listen(3000);
`;

const room = (send: string) => `import * as protoo from 'protoo-server';

export class Room {
  static async create(id: string, worker: string): Promise<Room> {
    return new Room(id, worker, new protoo.Room());
  }

  constructor(readonly id: string, readonly worker: string, private readonly protooRoom: any) {}

  handleConnection(peerId: string, transport: unknown): void {
    const peer = this.protooRoom.createPeer(peerId, transport);
    peer.on('request', (request: any, accept: () => void) => {
      this.handleRequest(peer, request).then(accept);
    });
  }

  private async handleRequest(peer: any, request: any): Promise<void> {
    if (request.method !== 'join') return;
    peer.data.joined = true;
    for (const other of this.joinedPeers(peer)) {
      ${send}
    }
  }

  private joinedPeers(except: unknown): any[] {
    return this.protooRoom.peers.filter((p: any) => p.data.joined && p !== except);
  }
}
`;

const RULES: RuleId[] = ['no-in-process-lock', 'no-in-memory-pubsub', 'no-in-memory-counter', 'no-process-local-cache', 'no-in-memory-session'];
const CURSOR = 'if (++nextWorkerIdx === workers.length) nextWorkerIdx = 0;';
const NOTIFY = "other.notify('newPeer', { id: peer.id });";
const files = (cursor = CURSOR, send = NOTIFY, startUpOnly = false) => ({ 'server.ts': server(cursor, startUpOnly), 'room.ts': room(send) });

describe("an SFU's signalling server on protoo and Express", () => {
  it('the AwaitQueue is a lock and the rooms are fan-out; the worker cursor counts nothing (typed and untyped)', () => {
    const lock =
      '7:15 no-in-process-lock: awaitqueue `queue` excludes only callers in this process; it is used by every route with :roomId (server.ts:28) and 1 other handler. A request on another instance runs the guarded work at the same time.';
    const typed = typedFindings(files(), 'server.ts', RULES);
    const fanOut =
      '8:7 no-in-memory-pubsub: `rooms` keeps the `Room`s of this instance, each sending to the clients that joined it here: every route with :roomId (server.ts:28) and 1 other handler changes it and protoo peer request (room.ts:12) and 1 other handler sends through a Room taken out of it (`Room.handleRequest()`), so clients of the same room connected to another instance never get the message.';
    expect(typed).toEqual([lock, fanOut]);
    expect(untypedFindings(files(), 'server.ts', RULES)).toEqual(typed);
  });

  it('look-alike: a count reset at a fixed number, not at the length of the list it indexes, stays a counter', () => {
    const typed = typedFindings(files('if (++nextWorkerIdx === 1000) nextWorkerIdx = 0;'), 'server.ts', ['no-in-memory-counter']);
    expect(typed).toHaveLength(1);
    expect(typed[0]).toMatch(/^10:5 no-in-memory-counter: `nextWorkerIdx` counts in this process/);
    expect(untypedFindings(files('if (++nextWorkerIdx === 1000) nextWorkerIdx = 0;'), 'server.ts', ['no-in-memory-counter'])).toEqual(typed);
  });

  it('look-alike: rooms whose class notifies no peer are no fan-out', () => {
    expect(typedFindings(files(CURSOR, 'other.data.seen = true;'), 'server.ts', ['no-in-memory-pubsub'])).toEqual([]);
    expect(untypedFindings(files(CURSOR, 'other.data.seen = true;'), 'server.ts', ['no-in-memory-pubsub'])).toEqual([]);
  });

  it('look-alike: an AwaitQueue pushed to only at start-up guards no request', () => {
    expect(typedFindings(files(CURSOR, NOTIFY, true), 'server.ts', ['no-in-process-lock'])).toEqual([]);
    expect(untypedFindings(files(CURSOR, NOTIFY, true), 'server.ts', ['no-in-process-lock'])).toEqual([]);
  });
});
