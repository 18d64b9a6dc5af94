import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A tally read out and emptied reads like a write-behind buffer (round 22b's download tally, round
// 24's batch writer), but a tally a route answers with is the count users see: a day's orders closed
// by a midnight job and shown on the counter's screen (the record-shop app), requests per ten seconds
// charted on an admin page (round 33's panel). Public services write both beside true buffers: metrics
// recorders and statsd clients that flush counts out of the process and answer no request.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-counter', 'no-in-memory-session', 'no-process-local-cache'] as const;

describe("a day's count closed by a job and answered by a route", () => {
  const files = {
    'orders.ts': `import { db } from './db';

let ordersToday = 0;
let emailsToday = 0;

export async function placeOrder(item: string) {
  await db.insert(item);
  ordersToday++;
  emailsToday++;
}

export function todayCount() {
  return ordersToday;
}

export function closeDay() {
  const count = ordersToday;
  ordersToday = 0;
  return count;
}

export function closeMailDay() {
  const sent = emailsToday;
  emailsToday = 0;
  return sent;
}
`,
    'db.ts': `export const db = { insert: async (item: string) => item };
`,
    'jobs.ts': `import cron from 'node-cron';
import { closeDay, closeMailDay } from './orders';
import { metrics } from './metrics';

export function scheduleJobs() {
  cron.schedule('0 0 * * *', () => {
    console.log('closed the day with', closeDay());
    metrics.gauge('emails', closeMailDay());
  });
}
`,
    'metrics.ts': `export const metrics = { gauge: (name: string, value: number) => [name, value] };
`,
    'server.ts': `import express from 'express';
import { placeOrder, todayCount } from './orders';
import { scheduleJobs } from './jobs';

const app = express();
app.post('/orders', async (req, res) => {
  await placeOrder(req.body.item);
  res.sendStatus(201);
});
app.get('/orders/today', (req, res) => {
  res.json({ ordersToday: todayCount() });
});
scheduleJobs();
app.listen(3000);
`,
  };

  it('the count a route reads back is reported; the one only the job reads out and hands on stays pending work (untyped and typed)', () => {
    const expected = [
      '3:5 no-in-memory-counter: `ordersToday` counts in this process; it is changed by POST /orders (server.ts:6). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(untyped(files, 'orders.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'orders.ts', [...RULES])).toEqual(expected);
  });
});

describe('requests per interval handed to a chart of this process', () => {
  const files = {
    'stats.ts': `import { statsd } from './statsd';

class Chart {
  private readonly points: number[] = [];
  push(value: number) {
    this.points.push(value);
    if (this.points.length > 60) this.points.shift();
  }
  list() {
    return this.points;
  }
}

class Stats {
  private readonly requestChart = new Chart();
  private readonly errorChart = new Chart();
  private requests = 0;
  private errors = 0;
  private uploads = 0;

  constructor() {
    setInterval(() => {
      this.requestChart.push(this.requests);
      this.requests = 0;
      this.errorChart.push(this.errors);
      this.errors = 0;
      statsd.count('uploads', this.uploads);
      this.uploads = 0;
    }, 10_000);
  }

  countRequest() {
    this.requests++;
  }

  countError() {
    this.errors++;
  }

  countUpload() {
    this.uploads++;
  }

  requestPoints() {
    return this.requestChart.list();
  }
}

export default new Stats();
`,
    'statsd.ts': `export const statsd = { count: (name: string, value: number) => [name, value] };
`,
    'server.ts': `import Koa from 'koa';
import Router from '@koa/router';
import stats from './stats';

const app = new Koa();
const router = new Router();
app.use(async (ctx, next) => {
  stats.countRequest();
  try {
    await next();
  } catch (error) {
    stats.countError();
    throw error;
  }
});
router.post('/uploads', (ctx) => {
  stats.countUpload();
  ctx.status = 201;
});
router.get('/overview', (ctx) => {
  ctx.body = { requests: stats.requestPoints() };
});
app.use(router.routes());
app.listen(3000);
`,
  };

  it('the count charted where a route reads the chart is reported; counts charted unread or sent to statsd stay pending work (untyped and typed)', () => {
    const expected = [
      '17:11 no-in-memory-counter: `requests` counts in this process; it is changed by middleware for all routes (server.ts:7). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(untyped(files, 'stats.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'stats.ts', [...RULES])).toEqual(expected);
  });
});

describe("views per item flushed by a timer, one item's dropped by a route", () => {
  const files = {
    'views.ts': `import express from 'express';

const db = { async save(id: string, views: number) { return [id, views]; } };
const pending = new Map<string, number>();

const app = express();
app.post('/items/:id/views', (req, res) => {
  pending.set(req.params.id, (pending.get(req.params.id) ?? 0) + 1);
  res.sendStatus(202);
});
app.delete('/items/:id/views', (req, res) => {
  res.json({ dropped: pending.delete(req.params.id) });
});
setInterval(async () => {
  for (const [id, views] of pending) await db.save(id, views);
  pending.clear();
}, 5000);
app.listen(3000);
`,
  };

  it('answering with what `pending.delete(id)` returns answers with no count: still pending work, quiet (untyped and typed)', () => {
    expect(untyped(files, 'views.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'views.ts', [...RULES])).toEqual([]);
  });
});
