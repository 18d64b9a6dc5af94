'use strict';

// Shared between the handlers: who is logged in, and what the service has done since it started.
module.exports = {
  sessions: {},
  stats: { requests: 0, uploads: 0, bytesIn: 0 }
};
