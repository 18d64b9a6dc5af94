import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Issue 12's lock and session pass (branch `h-lock26`): states the session rule took for a user's
// data that belong to another rule or to this process. Each beside a look-alike that stays reported.

afterAll(removeAnalysedProjects);

const rules = ['no-in-memory-session' as const, 'no-in-process-lock' as const];

describe("a busy slot's waiting line belongs to the slot's lock", () => {
  const transcoder = (busyBranch: string) => ({
    'server.ts': `import express from 'express';
import { Transcoder } from './transcoder';

const app = express();
const transcoder = new Transcoder();
app.post('/videos/:id/renditions', (req, res) => {
  void transcoder.enqueue({ videoId: req.params.id, preset: String(req.body.preset) });
  res.sendStatus(202);
});
app.listen(3000);
`,
    'transcoder.ts': `import { db } from './db';

interface Rendition { videoId: string; preset: string }

export class Transcoder {
  private waiting: Rendition[] = [];
  private active: Rendition | null = null;

  async enqueue(job: Rendition): Promise<void> {
    if (this.active) {
${busyBranch}
    }
    this.active = job;
    await db.renditions.insert({ videoId: job.videoId, preset: job.preset, state: 'done' });
    this.active = null;
    const next = this.waiting.shift();
    if (next) void this.enqueue(next);
  }
}
`,
    'db.ts': `export const db: any = {};\n`,
  });
  const lock = '7:11 no-in-process-lock: `active` guards work only within this process; it is taken by POST /videos/:id/renditions (server.ts:6). A request on another instance does not see it and runs the same work at the same time.';

  it('quiet for the session rule: the line only holds work waiting for the slot, which is reported as the lock (untyped and typed)', () => {
    const files = transcoder(`      if (!this.waiting.some((w) => w.videoId === job.videoId && w.preset === job.preset)) this.waiting.push(job);
      return;`);
    expect(untyped(files, 'transcoder.ts', rules)).toEqual([lock]);
    expect(typed(files, 'transcoder.ts', rules)).toEqual([lock]);
  });

  it('a list filled whether or not the slot is taken stays reported (untyped and typed)', () => {
    const files = transcoder(`      this.waiting.push(job);
      return;
    }
    if (job.preset === 'preview') {
      this.waiting.push(job);`);
    const session = '6:11 no-in-memory-session: `waiting` holds application data in this process; it is written by POST /videos/:id/renditions (server.ts:6). A second instance will not see it.';
    expect(untyped(files, 'transcoder.ts', rules)).toEqual([session, lock]);
    expect(typed(files, 'transcoder.ts', rules)).toEqual([session, lock]);
  });
});

describe('keys this process already logged', () => {
  const totals = (report: string) => ({
    'server.js': `const express = require('express');
const logger = require('./logger');
const mailer = require('./mailer');

const app = express();
const flaggedOrders = [];

function checkTotals(order) {
  if (flaggedOrders.indexOf(order.id) !== -1) return;
  try {
    if (order.total < 0) throw new Error('negative total');
  } catch (error) {
${report}
    flaggedOrders.push(order.id);
  }
}

app.post('/orders', (req, res) => {
  checkTotals(req.body);
  res.sendStatus(201);
});
app.listen(3000);
`,
    'logger.js': `module.exports = { warn() {} };\n`,
    'mailer.js': `module.exports = { send: async () => {} };\n`,
  });

  it('quiet: the record only keeps one log line per key in this process (untyped and typed)', () => {
    const files = totals(`    logger.warn('order with a bad total', order.id, error.message);`);
    expect(untyped(files, 'server.js', rules)).toEqual([]);
    expect(typed(files, 'server.js', rules)).toEqual([]);
  });

  it('the same record beside a mail to the customer stays reported: another instance mails again (untyped and typed)', () => {
    const files = totals(`    mailer.send(order.email, 'We could not take your order');`);
    const expected = ['6:7 no-in-memory-session: `flaggedOrders` holds application data in this process; it is written by POST /orders (server.js:18). A second instance will not see it.'];
    expect(untyped(files, 'server.js', rules)).toEqual(expected);
    expect(typed(files, 'server.js', rules)).toEqual(expected);
  });
});

describe('a window of samples summarised, sent and emptied', () => {
  const pings = (afterSummary: string) => ({
    'server.js': `const { Server } = require('socket.io');
const io = new Server(3000);
let roundTrips = [];

io.on('connection', (socket) => {
  socket.on('pong-check', (sentAt) => {
    roundTrips.push(Date.now() - sentAt);
    if (roundTrips.length === 10) {
      socket.emit('latency', (roundTrips.reduce((sum, ms) => sum + ms, 0) / 10).toFixed(1));
${afterSummary}
    }
  });
  socket.on('latency-history', () => socket.emit('history', roundTrips));
});
`,
  });

  it('quiet: each window is this process’s sample, handed on as its average and started again (untyped and typed)', () => {
    const files = pings('      roundTrips = [];');
    expect(untyped(files, 'server.js', rules)).toEqual([]);
    expect(typed(files, 'server.js', rules)).toEqual([]);
  });

  it('samples kept after their average is sent stay reported (untyped and typed)', () => {
    const files = pings('      roundTrips.shift();');
    const expected = ['3:5 no-in-memory-session: `roundTrips` holds application data in this process; it is written by socket event "pong-check" (server.js:6). A second instance will not see it.'];
    expect(untyped(files, 'server.js', rules)).toEqual(expected);
    expect(typed(files, 'server.js', rules)).toEqual(expected);
  });
});
