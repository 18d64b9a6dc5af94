import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// An uptime monitor's check loop written as two methods of one class: the check ends by handing its
// result to a method that records it and arms `setTimeout(() => this.checkStatus(id), ms)` again, and
// the web process starts the loop for every monitor as it boots (round 33 of test/real-world; the same
// shape in public monitors and pollers: `poll()` → `scheduleNext()` → `setTimeout(() => this.poll())`).

afterAll(removeAnalysedProjects);

const RULES = ['no-in-process-scheduler'];

const monitor = (recordBody: string) => `import { db } from './db.js';

class Monitors {
  constructor() {
    this.timeouts = new Map();
  }

  async initialise() {
    const monitors = await db.query('SELECT id, url, interval FROM monitors');
    for (const monitor of monitors) await this.checkStatus(monitor.id);
  }

  async record(monitor, heartbeat) {
${recordBody}
  }

  async checkStatus(id) {
    const [monitor] = await db.query('SELECT id, url, interval FROM monitors WHERE id = $1', [id]);
    const started = Date.now();
    const response = await fetch(monitor.url).catch(() => undefined);
    await this.record(monitor, { ok: response?.ok === true, latency: Date.now() - started });
  }
}

const monitors = new Monitors();
export default monitors;
`;

const files = (recordBody: string) => ({
  'db.js': `import pg from 'pg';
const pool = new pg.Pool();
export const db = { query: async (sql, params) => (await pool.query(sql, params)).rows };
`,
  'monitors.js': monitor(recordBody),
  'server.js': `import express from 'express';
import monitors from './monitors.js';

const app = express();
app.get('/health', (req, res) => res.send('ok'));
app.listen(3000, async () => {
  await monitors.initialise();
});
`,
});

describe('a timer that starts a method which arms it again through a second method', () => {
  const loop = files(`    await db.query('INSERT INTO heartbeats (monitor_id, ok, latency) VALUES ($1, $2, $3)', [monitor.id, heartbeat.ok, heartbeat.latency]);
    this.timeouts.set(monitor.id, setTimeout(() => this.checkStatus(monitor.id), monitor.interval * 1000));`);

  it('is a loop the web process runs in every instance, typed and untyped', () => {
    const found = untyped(loop, 'monitors.js', RULES);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^15:35 no-in-process-scheduler: `setTimeout` runs in every instance of the web process/);
    expect(typed(loop, 'monitors.js', RULES)).toEqual(found);
  });

  it('look-alike: a delayed call of a method that never arms the timer again stays quiet', () => {
    const once = files(`    await db.query('INSERT INTO heartbeats (monitor_id, ok, latency) VALUES ($1, $2, $3)', [monitor.id, heartbeat.ok, heartbeat.latency]);
    this.timeouts.set(monitor.id, setTimeout(() => this.forget(monitor.id), monitor.interval * 1000));
  }

  forget(id) {
    this.timeouts.delete(id);`);
    expect(untyped(once, 'monitors.js', RULES)).toEqual([]);
    expect(typed(once, 'monitors.js', RULES)).toEqual([]);
  });
});

describe('a method that arms its own timer', () => {
  it('is a loop too (`setTimeout(() => this.checkStatus(id), ms)` in checkStatus), typed and untyped', () => {
    const project = files(`    await db.query('INSERT INTO heartbeats (monitor_id, ok, latency) VALUES ($1, $2, $3)', [monitor.id, heartbeat.ok, heartbeat.latency]);`);
    project['monitors.js'] = project['monitors.js'].replace(
      '    await this.record(monitor, { ok: response?.ok === true, latency: Date.now() - started });',
      '    await this.record(monitor, { ok: response?.ok === true, latency: Date.now() - started });\n    this.timeouts.set(id, setTimeout(() => this.checkStatus(id), monitor.interval * 1000));',
    );
    const found = untyped(project, 'monitors.js', RULES);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^22:27 no-in-process-scheduler: `setTimeout` runs in every instance/);
    expect(typed(project, 'monitors.js', RULES)).toEqual(found);
  });
});
