import { Server } from 'socket.io';

// Seat counts on the show pages update live: each page joins its show's room.
let io;

export function attachLive(server) {
  io = new Server(server, { path: '/live' });
  io.on('connection', (socket) => {
    socket.on('watch', (showId) => socket.join(`show:${showId}`));
    socket.on('unwatch', (showId) => socket.leave(`show:${showId}`));
  });
}

export function publish(showId, event, payload) {
  if (io) io.to(`show:${showId}`).emit(event, payload);
}
