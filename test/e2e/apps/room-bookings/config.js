'use strict';

const fs = require('fs');
const path = require('path');

// read once when the process starts
const rooms = JSON.parse(fs.readFileSync(path.join(__dirname, 'config', 'rooms.json'), 'utf8'));

module.exports = {
  port: Number(process.env.PORT) || 3000,
  databaseUrl: process.env.DATABASE_URL || 'postgres://localhost/bookings',
  replicaUrl: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL || 'postgres://localhost/bookings',
  uploadDir: process.env.UPLOAD_DIR || path.join(__dirname, 'uploads'),
  sessionSecret: process.env.SESSION_SECRET || 'keyboard cat',
  rooms,
};
