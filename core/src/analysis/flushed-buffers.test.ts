import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A write-behind buffer flushed on a timer and, sooner, when it reaches a batch size (round 24 of
// test/real-world: an analytics service's batch writer of events), written here in other shapes;
// and a queue whose size is a limit the requests are refused at, which stays reported.

afterAll(removeAnalysedProjects);

describe('a buffer of events sent on when it reaches a batch size', () => {
  const files = {
    'db.ts': `import { PrismaClient } from '@prisma/client';
export const db = new PrismaClient();
`,
    'events.ts': `import express from 'express';
import { db } from './db';

type Event = { name: string; at: number };

const MAX_BATCH = 200;
let pending: Event[] = [];

async function flush() {
  const batch = pending;
  pending = [];
  if (batch.length > 0) await db.event.createMany({ data: batch });
}

class AuditTrail {
  private entries: string[] = [];

  record(entry: string) {
    this.entries.push(entry);
    if (this.entries.length >= MAX_BATCH) {
      void this.save();
    }
  }

  async save() {
    const entries = this.entries.splice(0);
    await db.audit.createMany({ data: entries.map((text) => ({ text })) });
  }
}

const audit = new AuditTrail();
let exports: string[] = [];

const app = express();
app.use(express.json());
app.post('/events', (req, res) => {
  pending.push({ name: req.body.name, at: Date.now() });
  if (pending.length >= MAX_BATCH) void flush();
  audit.record(req.body.name);
  res.sendStatus(202);
});
app.post('/exports', (req, res) => {
  if (exports.length >= 5) return res.status(429).send('too many exports running');
  exports.push(req.body.id);
  res.sendStatus(202);
});
setInterval(() => void flush(), 2000);
setInterval(() => {
  const batch = exports;
  exports = [];
  void db.export.createMany({ data: batch.map((id) => ({ id })) });
}, 60_000);
app.listen(3000);
`,
  };

  it('a module buffer and a singleton field flushed at a batch size are pending work, quiet; a list whose size refuses requests stays reported (untyped and typed)', () => {
    const expected = [
      '32:5 no-in-memory-counter: `exports` counts in this process; it is changed by POST /exports (events.ts:42). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(untyped(files, 'events.ts', ['no-in-memory-counter', 'no-in-memory-session'])).toEqual(expected);
    expect(typed(files, 'events.ts', ['no-in-memory-counter', 'no-in-memory-session'])).toEqual(expected);
  });
});
