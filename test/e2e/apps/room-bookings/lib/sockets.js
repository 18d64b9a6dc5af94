'use strict';

const { Server } = require('socket.io');
const { bus } = require('./notifications');

// who is looking at the dashboard right now
const online = new Map();

function attachSockets(server, sessionMiddleware) {
  const io = new Server(server);
  io.engine.use(sessionMiddleware);

  io.on('connection', (socket) => {
    const session = socket.request.session;
    if (!session || !session.userId) {
      socket.disconnect(true);
      return;
    }
    online.set(socket.id, session.name);
    socket.join(`user:${session.userId}`);
    io.emit('online', Array.from(online.values()));
    socket.on('disconnect', () => {
      online.delete(socket.id);
      io.emit('online', Array.from(online.values()));
    });
  });

  bus.on('notification', (n) => io.emit('notification', n));
  return io;
}

function onlineCount() {
  return online.size;
}

module.exports = { attachSockets, onlineCount };
