/** A WebRTC SFU's signalling server on protoo and Express (held-out round 35b: mediasoup's demo server's shape). */
export const sfuServer = ({ cursor = 'if (++nextWorkerIdx === workers.length) nextWorkerIdx = 0;', send = "other.notify('newPeer', { id: peer.id });", startUpOnly = false } = {}): string => `
import express from 'express';
import http from 'node:http';
import * as protoo from 'protoo-server';
import { AwaitQueue } from 'awaitqueue';

class Room {
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
    for (const other of this.protooRoom.peers) {
      ${send}
    }
  }
}

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
