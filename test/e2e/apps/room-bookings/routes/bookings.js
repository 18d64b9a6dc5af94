'use strict';

const express = require('express');
const config = require('../config');
const { db, readDb } = require('../lib/db');
const { getRoom } = require('../lib/cache');
const { notify } = require('../lib/notifications');
const { requireUser } = require('../lib/auth');

const router = express.Router();

// rooms someone is checking out right now: one booking at a time per room
const busyRooms = new Set();

// slots put on hold while someone fills in the booking form
const holds = new Map();

function slotKey(roomId, day, hour) {
  return `${roomId}:${day}:${hour}`;
}

function heldByOther(key, userId) {
  const hold = holds.get(key);
  return hold && hold.userId !== userId && hold.until > Date.now();
}

router.post('/holds', requireUser, async (req, res, next) => {
  try {
    const { roomId, day, hour } = req.body;
    const room = await getRoom(Number(roomId));
    if (!room) return res.status(404).json({ error: 'no such room' });
    const key = slotKey(room.id, day, hour);
    if (heldByOther(key, req.session.userId)) return res.status(409).json({ error: 'someone else is booking that slot' });
    holds.set(key, { userId: req.session.userId, until: Date.now() + config.rooms.holdMinutes * 60 * 1000 });
    res.status(201).json({ held: key, minutes: config.rooms.holdMinutes });
  } catch (err) {
    next(err);
  }
});

router.post('/', requireUser, async (req, res, next) => {
  const roomId = Number(req.body.roomId);
  const { day } = req.body;
  const hour = Number(req.body.hour);
  const hours = Number(req.body.hours) || 1;
  if (hour < config.rooms.openingHour || hour + hours > config.rooms.closingHour || hours > config.rooms.maxHoursPerBooking) {
    return res.status(400).json({ error: 'outside opening hours' });
  }
  if (busyRooms.has(roomId)) return res.status(409).json({ error: 'room is being booked, try again' });
  busyRooms.add(roomId);
  try {
    const room = await getRoom(roomId);
    if (!room) return res.status(404).json({ error: 'no such room' });
    if (heldByOther(slotKey(roomId, day, hour), req.session.userId)) {
      return res.status(409).json({ error: 'someone else is booking that slot' });
    }
    const clash = await db('bookings')
      .where({ room_id: roomId, day })
      .andWhere('hour', '<', hour + hours)
      .andWhereRaw('hour + hours > ?', [hour])
      .first();
    if (clash) return res.status(409).json({ error: 'that room is taken then' });
    const [booking] = await db('bookings')
      .insert({ room_id: roomId, user_id: req.session.userId, day, hour, hours })
      .returning(['id', 'room_id', 'day', 'hour', 'hours']);
    holds.delete(slotKey(roomId, day, hour));
    notify('booked', { room: room.name, day, hour, hours, by: req.session.name });
    const mine = await readDb('bookings').where({ user_id: req.session.userId }).orderBy('id');
    res.status(201).json({ booking: { ...booking, price: room.price * hours }, mine: mine.map((b) => b.id) });
  } catch (err) {
    next(err);
  } finally {
    busyRooms.delete(roomId);
  }
});

router.get('/', requireUser, async (req, res, next) => {
  try {
    const mine = await readDb('bookings').where({ user_id: req.session.userId }).orderBy('id');
    res.json({ bookings: mine.map((b) => ({ id: b.id, roomId: b.room_id, hour: b.hour, hours: b.hours })) });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
