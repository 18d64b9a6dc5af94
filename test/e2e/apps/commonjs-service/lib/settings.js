'use strict';

const path = require('path');

module.exports = {
  port: parseInt(process.env.PORT, 10) || 8080,
  db: {
    primary: process.env.DATABASE_URL || 'postgres://docstore@localhost/docstore',
    replica: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL || 'postgres://docstore@localhost/docstore'
  },
  uploadDir: process.env.UPLOAD_DIR || path.resolve(__dirname, '..', 'data'),
  sessionIdleMinutes: parseInt(process.env.SESSION_IDLE_MINUTES, 10) || 30,
  sweepEverySeconds: 60
};
