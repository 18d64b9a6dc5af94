import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Round 34b of test/real-world: a mediasoup SFU keeps its rooms as objects in a module Map
// (`roomList.set(id, new Room(id, worker, io))`) and fans out through a value taken out of it
// (`roomList.get(socket.room_id).broadCast(…)`, or a local helper returning that read), whose class
// sends to each peer by socket id (`this.io.to(socketId).emit(…)`). Neither reading resolved the read to
// the class, so no broadcast was on a request path (the adapter-less server went unreported) and the
// Map, filled once per room id, read as a cache. Look-alikes: the same rooms sending to a socket.io room
// by name when socket.io has a Redis adapter (the adapter carries it to every instance), a Map of
// objects whose class sends nothing, and a Map that also holds plain objects.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-pubsub', 'no-process-local-cache', 'no-in-memory-session'] as const;

const room = `'use strict';

module.exports = class Room {
  constructor(id, io) {
    this.id = id;
    this.io = io;
    this.peers = new Map();
  }
  addPeer(peer) {
    this.peers.set(peer.id, peer);
  }
  removePeer(id) {
    this.peers.delete(id);
  }
  getPeersCount() {
    return this.peers.size;
  }
  broadCast(socketId, action, data) {
    for (const otherId of Array.from(this.peers.keys()).filter((id) => id !== socketId)) {
      this.send(otherId, action, data);
    }
  }
  send(socketId, action, data) {
    this.io.to(socketId).emit(action, data);
  }
};
`;

const server = `'use strict';

const express = require('express');
const http = require('http');
const socketIo = require('socket.io');
const Room = require('./Room');

const app = express();
const server = http.createServer(app);
const io = socketIo(server, { transports: ['websocket'] });

const roomList = new Map();

app.get('/api/rooms', (req, res) => {
  res.json({ rooms: roomList.size });
});

io.on('connection', (socket) => {
  socket.on('join', (data, cb) => {
    if (!roomList.has(data.room)) roomList.set(data.room, new Room(data.room, io));
    socket.room_id = data.room;
    const room = getRoom(socket);
    room.addPeer({ id: socket.id, name: data.name });
    room.broadCast(socket.id, 'joined', data.name);
    cb('ok');
  });
  socket.on('message', (data) => {
    roomList.get(socket.room_id).broadCast(socket.id, 'message', data);
  });
  socket.on('disconnect', () => {
    const room = getRoom(socket);
    if (!room) return;
    room.removePeer(socket.id);
    if (room.getPeersCount() === 0) roomList.delete(socket.room_id);
  });

  function getRoom(socket) {
    return roomList.get(socket.room_id) || null;
  }
});

server.listen(3000);
`;

const files = { 'src/Room.js': room, 'src/Server.js': server, 'package.json': '{ "name": "sfu", "dependencies": { "express": "5.0.0", "socket.io": "4.8.0" } }' };


/** A room that sends to the socket.io room of its id: one emit, which an adapter carries to every instance. */
const namedRoom = `'use strict';

module.exports = class Room {
  constructor(id, io) {
    this.id = id;
    this.io = io;
  }
  broadCast(action, data) {
    this.io.to(this.id).emit(action, data);
  }
};
`;

const withAdapter = server
  .replace("const Room = require('./Room');", "const Room = require('./Room');\nconst { createAdapter } = require('@socket.io/redis-adapter');\nconst { createClient } = require('redis');")
  .replace("const roomList = new Map();", "const pubClient = createClient({ url: process.env.REDIS_URL });\nio.adapter(createAdapter(pubClient, pubClient.duplicate()));\n\nconst roomList = new Map();")
  .replace(/\.broadCast\(socket\.id, /g, '.broadCast(');

const EXPECTED = [
  '10:12 no-in-memory-pubsub: socketIo() has no adapter, so `this.io.to(…).emit()` on socket connection (src/Server.js:18) and 2 other handlers reaches only the clients connected to this instance.',
  '12:7 no-in-memory-pubsub: `roomList` keeps the `Room`s of this instance, each sending to the clients that joined it here: socket event "join" (src/Server.js:19) and 1 other handler changes it and socket connection (src/Server.js:18) and 2 other handlers sends through a Room taken out of it (`Room.broadCast()`), so clients of the same room connected to another instance never get the message.',
];
const NAMED_EXPECTED = EXPECTED;
const LOOPED_EXPECTED = [
  '17:7 no-in-memory-pubsub: `roomList` keeps the `Room`s of this instance, each sending to the clients that joined it here: socket event "join" (src/Server.js:24) and 1 other handler changes it and socket connection (src/Server.js:23) and 2 other handlers sends through a Room taken out of it (`Room.broadCast()`), so clients of the same room connected to another instance never get the message.',
];

describe('rooms kept as objects in a module Map, sent to through a value taken out of it', () => {
  it('the Map is fan-out and the server broadcasts on the socket events (untyped)', () => {
    expect(untyped(files, 'src/Server.js', [...RULES])).toEqual(EXPECTED);
    expect(untyped(files, 'src/Room.js', [...RULES])).toEqual([]);
  });

  it('the same, typed', () => {
    expect(typed(files, 'src/Server.js', [...RULES])).toEqual(EXPECTED);
    expect(typed(files, 'src/Room.js', [...RULES])).toEqual([]);
  });

  it('rooms that send to a socket.io room by name: quiet once socket.io has a Redis adapter', () => {
    const named = { ...files, 'src/Room.js': namedRoom, 'src/Server.js': withAdapter };
    expect(untyped(named, 'src/Server.js', [...RULES])).toEqual([]);
    expect(typed(named, 'src/Server.js', [...RULES])).toEqual([]);
  });

  it('the same rooms without the adapter are reported', () => {
    const named = { ...files, 'src/Room.js': namedRoom, 'src/Server.js': server.replace(/\.broadCast\(socket\.id, /g, '.broadCast(') };
    expect(untyped(named, 'src/Server.js', [...RULES])).toEqual(NAMED_EXPECTED);
  });

  it('rooms that loop over their own peers stay reported with the adapter: a peer that joined another instance is not in the loop', () => {
    const looped = { ...files, 'src/Server.js': withAdapter.replace(/\.broadCast\(/g, '.broadCast(socket.id, ') };
    expect(untyped(looped, 'src/Server.js', [...RULES])).toEqual(LOOPED_EXPECTED);
  });

  it("a room class whose own connection list is reported where it keeps it: the Map is read by its use", () => {
    const notes = {
      'src/note.ts': `import type { WebSocket } from 'ws';

export class Note {
  private clients = new Set<WebSocket>();
  constructor(readonly id: string, public text: string) {}
  join(ws: WebSocket) {
    this.clients.add(ws);
  }
  broadcast(message: string) {
    for (const client of this.clients) client.send(message);
  }
}
`,
      'src/server.ts': `import { WebSocketServer } from 'ws';
import { Note } from './note';

const notes = new Map();
const wss = new WebSocketServer({ port: 8080 });

wss.on('connection', (ws, req) => {
  const id = req.url ?? '/';
  if (!notes.has(id)) notes.set(id, new Note(id, ''));
  notes.get(id).join(ws);
  ws.on('message', (data) => notes.get(id).broadcast(String(data)));
});
`,
      'package.json': '{ "name": "notes", "dependencies": { "ws": "8.0.0" } }',
    };
    expect(untyped(notes, 'src/server.ts', [...RULES])).toEqual([]);
    expect(untyped(notes, 'src/note.ts', [...RULES])).toEqual([
      '4:11 no-in-memory-pubsub: Each `Note` keeps its connected clients in `clients`, in this process only: socket connection (src/server.ts:7) adds to it and socket connection (src/server.ts:7) and 1 other handler sends to its entries, so clients of the same Note connected to another instance never get the message.',
    ]);
  });

  it('a Map of objects whose class sends nothing is no fan-out', () => {
    const scores = {
      ...files,
      'src/Room.js': room.replace(/  broadCast[\s\S]*?\n  }\n  send[\s\S]*?\n  }\n/, '  broadCast(socketId, action, data) {\n    this.last = { socketId, action, data };\n  }\n'),
    };
    expect(untyped(scores, 'src/Server.js', ['no-in-memory-pubsub'])).toEqual([]);
    expect(typed(scores, 'src/Server.js', ['no-in-memory-pubsub'])).toEqual([]);
  });

  it('a Map that also holds plain objects gives no room class to its reads', () => {
    const mixed = { ...files, 'src/Server.js': server.replace("socket.room_id = data.room;", "if (data.preview) roomList.set(data.room + ':preview', { id: data.room });\n    socket.room_id = data.room;") };
    expect(untyped(mixed, 'src/Server.js', ['no-in-memory-pubsub'])).toEqual([]);
    expect(typed(mixed, 'src/Server.js', ['no-in-memory-pubsub'])).toEqual([]);
  });
});
