'use strict';

const NodeCache = require('node-cache');
const { db } = require('./db');

// rooms hardly change: keep the rows for ten minutes
const roomCache = new NodeCache({ stdTTL: 600, checkperiod: 120 });

async function getRoom(id) {
  const key = `room:${id}`;
  let room = roomCache.get(key);
  if (room === undefined) {
    room = await db('rooms').where({ id }).first();
    if (room) roomCache.set(key, room);
  }
  return room;
}

function forgetRoom(id) {
  roomCache.del(`room:${id}`);
}

module.exports = { getRoom, forgetRoom };
