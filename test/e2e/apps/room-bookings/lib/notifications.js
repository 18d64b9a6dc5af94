'use strict';

const EventEmitter = require('events');

// everything that happens goes through here; the SSE route and socket.io listen
const bus = new EventEmitter();
bus.setMaxListeners(100);

// the last few notifications, so a client that (re)connects can catch up
const recent = [];
let nextId = 1;

function notify(type, payload) {
  const notification = { id: nextId++, type, payload, at: new Date().toISOString() };
  recent.push(notification);
  if (recent.length > 50) recent.shift();
  bus.emit('notification', notification);
  return notification;
}

function since(lastId) {
  return recent.filter((n) => n.id > lastId);
}

module.exports = { bus, notify, since };
