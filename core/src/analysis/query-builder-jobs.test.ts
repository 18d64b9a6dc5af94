import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A cron job that reloads this process's copy of the status pages, through the service's own knex
// handle (`SQLite.client('status_page').select()`, `return SQLite.client('monitor')`), only reads:
// every instance keeps its own copy fresh, which is the point. The same handle's `insert` or
// `where(…).del()` in a job writes the table once per instance. Lunalytics' cron (round 33 of
// test/real-world, labeled quiet) in a shape of our own: the handle names no database, so only the
// builder's chain says what the call does.

afterAll(removeAnalysedProjects);

const files = (job: string): Record<string, string> => ({
  'src/database/sqlite.js': `const knex = require('knex');

class Database {
  constructor() {
    this.client = null;
  }

  connect() {
    this.client = knex({ client: 'pg', connection: process.env.DATABASE_URL });
  }
}

module.exports = new Database();
`,
  'src/queries/status.js': `const SQLite = require('../database/sqlite');

function fetchStatusPages() {
  return SQLite.client('status_page').select();
}

function fetchMonitors() {
  return SQLite.client('monitor');
}

function fetchRecentHeartbeats(monitorId, since) {
  return SQLite.client('heartbeat').where({ monitorId }).andWhere('date', '>', since).orderBy('date', 'desc');
}

async function saveHourly(rows) {
  await SQLite.client('hourly_heartbeat').insert(rows);
}

async function cleanHeartbeats(before) {
  await SQLite.client('heartbeat').where('date', '<', before).del();
}

module.exports = { fetchStatusPages, fetchMonitors, fetchRecentHeartbeats, saveHourly, cleanHeartbeats };
`,
  'src/cache/status.js': `const { fetchStatusPages, fetchMonitors, fetchRecentHeartbeats } = require('../queries/status');

class StatusCache {
  constructor() {
    this.pages = new Map();
    this.heartbeats = new Map();
  }

  async reload() {
    for (const page of await fetchStatusPages()) this.pages.set(page.id, page);
    const since = new Date(Date.now() - 86400000).toISOString();
    for (const monitor of await fetchMonitors()) this.heartbeats.set(monitor.id, await fetchRecentHeartbeats(monitor.id, since));
  }

  page(id) {
    return this.pages.get(id);
  }
}

module.exports = new StatusCache();
`,
  'src/jobs.js': `const cron = require('node-cron');
const statusCache = require('./cache/status');
const { fetchMonitors, fetchRecentHeartbeats, saveHourly, cleanHeartbeats } = require('./queries/status');

function startJobs() {
  ${job}
}

module.exports = { startJobs };
`,
  'src/server.js': `const express = require('express');
const SQLite = require('./database/sqlite');
const statusCache = require('./cache/status');
const { startJobs } = require('./jobs');

const app = express();

app.get('/status/:id', (req, res) => {
  const page = statusCache.page(req.params.id);
  if (!page) return res.status(404).end();
  res.json(page);
});

SQLite.connect();
statusCache.reload().then(() => {
  startJobs();
  app.listen(3000);
});
`,
});

describe("a job that works through the service's own query builder", () => {
  it('stays quiet when it only reads the tables to refresh this process’s copy (untyped and typed)', () => {
    const reload = files(`cron.schedule('*/5 * * * *', async () => {
    await statusCache.reload();
  });`);
    expect(untyped(reload, 'src/jobs.js')).toEqual([]);
    expect(typed(reload, 'src/jobs.js')).toEqual([]);
  });

  it('is reported when it inserts rows, naming the insert (untyped and typed)', () => {
    const hourly = files(`cron.schedule('0 * * * *', async () => {
    const since = new Date(Date.now() - 3600000).toISOString();
    for (const monitor of await fetchMonitors()) {
      const beats = await fetchRecentHeartbeats(monitor.id, since);
      await saveHourly([{ monitorId: monitor.id, count: beats.length }]);
    }
  });`);
    const expected = [
      "6:3 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: `saveHourly()` writes to the database (`SQLite.client('hourly_heartbeat').insert`) every hour. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ];
    expect(untyped(hourly, 'src/jobs.js')).toEqual(expected);
    expect(typed(hourly, 'src/jobs.js')).toEqual(expected);
  });

  it('is reported when the call handed one name is no query builder (untyped and typed)', () => {
    const digest = files(`cron.schedule('0 9 * * *', async () => {
    await require('digest-mailer').sendDigest('daily');
  });`);
    const expected = [
      "6:3 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: the job calls `require('digest-mailer').sendDigest()` every day at 09:00. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ];
    expect(untyped(digest, 'src/jobs.js')).toEqual(expected);
    expect(typed(digest, 'src/jobs.js')).toEqual(expected);
  });

  it('is reported when it deletes rows through a filtered chain (untyped and typed)', () => {
    const cleanup = files(`cron.schedule('0 0 * * *', async () => {
    await cleanHeartbeats(new Date(Date.now() - 30 * 86400000).toISOString());
  });`);
    const expected = [
      "6:3 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: `cleanHeartbeats()` writes to the database (`SQLite.client('heartbeat').where('date', '<', before).del`) every day at 00:00. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ];
    expect(untyped(cleanup, 'src/jobs.js')).toEqual(expected);
    expect(typed(cleanup, 'src/jobs.js')).toEqual(expected);
  });
});
