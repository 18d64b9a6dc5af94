'use strict';

const express = require('express');
const path = require('path');
const multer = require('multer');
const config = require('../config');
const { db, readDb } = require('../lib/db');
const { getRoom, forgetRoom } = require('../lib/cache');
const { ROOM_KINDS, PHOTO_TYPES } = require('../lib/constants');
const { notify } = require('../lib/notifications');
const { requireUser, requireAdmin } = require('../lib/auth');

const router = express.Router();

const storage = multer.diskStorage({
  destination: config.uploadDir,
  filename: (req, file, cb) => cb(null, `room-${req.params.id}-${Date.now()}${path.extname(file.originalname).toLowerCase()}`),
});
const upload = multer({
  storage,
  limits: { fileSize: 2 * 1024 * 1024 },
  fileFilter: (req, file, cb) => cb(null, PHOTO_TYPES.includes(file.mimetype)),
});

// how often each room was looked at since the server started
const views = {};

function present(room) {
  return { ...room, kind: ROOM_KINDS[room.kind] ? ROOM_KINDS[room.kind].label : room.kind };
}

router.get('/', async (req, res, next) => {
  try {
    const rooms = await readDb('rooms').select('*').orderBy('id');
    res.json({ rooms: rooms.map(present) });
  } catch (err) {
    next(err);
  }
});

router.get('/:id', requireUser, async (req, res, next) => {
  try {
    const room = await getRoom(Number(req.params.id));
    if (!room) return res.status(404).json({ error: 'no such room' });
    views[room.id] = (views[room.id] || 0) + 1;
    res.json({ ...present(room), views: views[room.id] });
  } catch (err) {
    next(err);
  }
});

router.patch('/:id', requireAdmin, async (req, res, next) => {
  try {
    const id = Number(req.params.id);
    const changes = {};
    if (req.body.price !== undefined) changes.price = Number(req.body.price);
    if (req.body.seats !== undefined) changes.seats = Number(req.body.seats);
    const [room] = await db('rooms').where({ id }).update(changes).returning('*');
    if (!room) return res.status(404).json({ error: 'no such room' });
    forgetRoom(id);
    notify('room-updated', { roomId: id, price: room.price, seats: room.seats });
    res.json(present(room));
  } catch (err) {
    next(err);
  }
});

router.post('/:id/photo', requireAdmin, upload.single('photo'), async (req, res, next) => {
  try {
    if (!req.file) return res.status(415).json({ error: 'send a png, jpeg or webp photo' });
    const id = Number(req.params.id);
    const photo = `/uploads/${req.file.filename}`;
    await db('rooms').where({ id }).update({ photo });
    forgetRoom(id);
    res.status(201).json({ photo });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
