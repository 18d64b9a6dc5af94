import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A start function that arms a timer to run itself again when it failed (`catch (err) { log(err);
// setTimeout(start, 1000) }`, `.catch(() => setTimeout(start, ms))`, `server.on('error', …)`) tries the
// start again until it works: once per instance, as any start is, not a schedule. A loop that re-arms
// itself whatever happened stays one. Round 31 of test/real-world (a proxy manager's `appStart` retried
// from its promise chain's `catch`) and the idiom as public services write it, in shapes of our own.

afterAll(removeAnalysedProjects);

const server = (retry: string): Record<string, string> => ({
  'src/server.js': `const express = require('express');
const { Pool } = require('pg');

const pool = new Pool();
const app = express();
app.get('/health', (req, res) => res.send('ok'));

${retry}
`,
});

describe('a start function armed again only when it failed', () => {
  it('stays quiet in a catch clause (untyped and typed)', () => {
    const files = server(`async function start() {
  try {
    await pool.query('INSERT INTO boots (at) VALUES (now())');
    app.listen(3000);
  } catch (err) {
    console.error('start failed, trying again', err);
    setTimeout(start, 1000);
  }
}

start();`);
    expect(untyped(files, 'src/server.js')).toEqual([]);
    expect(typed(files, 'src/server.js')).toEqual([]);
  });

  it("stays quiet in a promise chain's catch, and in the server's error listener (untyped and typed)", () => {
    const files = server(`function start() {
  return pool
    .query('INSERT INTO boots (at) VALUES (now())')
    .then(() => {
      const listening = app.listen(3000);
      listening.on('error', () => setTimeout(start, 5000));
    })
    .catch((err) => {
      console.error(err.message);
      setTimeout(start, 1000);
    });
}

start();`);
    expect(untyped(files, 'src/server.js')).toEqual([]);
    expect(typed(files, 'src/server.js')).toEqual([]);
  });

  it('is reported, both timers, when the function also arms itself after it worked (untyped and typed)', () => {
    const files = server(`async function purge() {
  try {
    await pool.query('DELETE FROM sessions WHERE expires_at < now()');
  } catch (err) {
    console.error('purge failed', err);
    setTimeout(purge, 1000);
    return;
  }
  setTimeout(purge, 60 * 1000);
}

app.listen(3000, () => purge());`);
    const expected = [
      '13:5 no-in-process-scheduler: `setTimeout` runs in every instance of the web process: the job writes to the database (`pool.query`) every second. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
      '16:3 no-in-process-scheduler: `setTimeout` runs in every instance of the web process: the job writes to the database (`pool.query`) every minute. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'src/server.js')).toEqual(expected);
    expect(typed(files, 'src/server.js')).toEqual(expected);
  });
});
