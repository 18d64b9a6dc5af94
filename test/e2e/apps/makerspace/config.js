'use strict';

const Fs = require('fs');
const Path = require('path');

// space.json ships with the app: read once when the process starts.
const space = JSON.parse(Fs.readFileSync(Path.join(__dirname, 'space.json'), 'utf8'));

module.exports = {
    port: Number(process.env.PORT || 3000),
    databaseUrl: process.env.DATABASE_URL || 'postgres://localhost/makerspace',
    replicaUrl: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL || 'postgres://localhost/makerspace',
    uploadDir: process.env.UPLOAD_DIR || Path.join(__dirname, 'uploads'),
    cookiePassword: process.env.COOKIE_PASSWORD || 'makerspace-cookie-password-at-least-32-chars',
    smtp: process.env.SMTP_HOST ? { host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT || 587) } : null,
    space
};
