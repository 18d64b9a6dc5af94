import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A service's own database module often builds its statements from what it is handed (a table name,
// columns, rows) and runs them on a pooled client: no statement reads as a write, but the module names
// its methods for what they do (`db.insertBulk(table, rows)`, `db.deleteExpired()`). A poller that
// writes through such a method writes once per instance. Round 31 of test/real-world (a statistics
// service's activity monitor, armed by every process at start-up) and the idiom as public services write
// it (`db.master.removeOne`, `db.delete_expired`), in shapes of our own.

afterAll(removeAnalysedProjects);

const files = (work: string): Record<string, string> => ({
  'src/db.js': `const { Pool } = require('pg');

const pool = new Pool();

function statementFor(verb, table, rows) {
  const columns = Object.keys(rows[0] || {});
  return verb + ' ' + table + ' (' + columns.join(', ') + ')';
}

async function run(text) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query({ text });
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

async function insertBulk(table, rows) {
  if (rows.length === 0) return;
  await run(statementFor('INSERT INTO', table, rows));
}

async function selectAll(table) {
  const client = await pool.connect();
  const result = await client.query({ text: 'SELECT * FROM ' + table });
  client.release();
  return result.rows;
}

module.exports = { insertBulk, selectAll };
`,
  'src/monitor.js': `const db = require('./db');

function startMonitor(ms) {
  const poll = async () => {
    const rows = await db.selectAll('sessions');
    ${work}
  };
  setInterval(poll, ms);
}

module.exports = { startMonitor };
`,
  'src/server.js': `const express = require('express');
const { startMonitor } = require('./monitor');

const app = express();
app.get('/health', (req, res) => res.send('ok'));
app.listen(3000, () => startMonitor(5000));
`,
});

describe("a poller that writes through the service's own database module", () => {
  it('is reported when the method it calls is named as a write (untyped and typed)', () => {
    const writing = files("await db.insertBulk('activity', rows.map((row) => ({ id: row.id, seen: Date.now() })));");
    const expected = [
      "8:3 no-in-process-scheduler: `setInterval` runs in every instance of the web process: the job writes to the database (`db.insertBulk`) every `ms` ms. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ];
    expect(untyped(writing, 'src/monitor.js')).toEqual(expected);
    expect(typed(writing, 'src/monitor.js')).toEqual(expected);
  });

  it('stays quiet when the job only reads through the module (untyped and typed)', () => {
    const reading = files("console.log('sessions', rows.length, await db.selectAll('activity'));");
    expect(untyped(reading, 'src/monitor.js')).toEqual([]);
    expect(typed(reading, 'src/monitor.js')).toEqual([]);
  });
});
