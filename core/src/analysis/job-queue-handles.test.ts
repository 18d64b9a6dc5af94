import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Round 28 of test/real-world: a mail service keeps its BullMQ queues and workers per region in
// static maps, built from the sending settings. Written here in other shapes: job-queue handles kept
// per key are no user's session; built from settings a request saved, they are this process's copy of
// those settings (stale on the other instances), and built from the key alone they are handles.

afterAll(removeAnalysedProjects);

const RULES = ['no-process-local-cache', 'no-in-memory-session', 'no-in-process-lock'] as const;

describe('queues and workers of a job-queue library kept per key', () => {
  const registry = {
    'server.ts': `import express from 'express';
import { Queue, Worker } from 'bullmq';
import { db } from './db';

function openTopic(topic: string, parallel: number) {
  const queue = new Queue(topic);
  const worker = new Worker(topic, async () => undefined, { concurrency: parallel });
  return { queue, worker };
}

class Outbox {
  static queues = new Map<string, Queue>();
  static workers = new Map<string, Worker>();

  static register(topic: string, parallel: number) {
    const { queue: topicQueue, worker } = openTopic(topic, parallel);
    this.queues.set(topic, topicQueue);
    this.workers.set(topic, worker);
  }

  static async post(topic: string, body: string) {
    const queue = this.queues.get(topic);
    if (!queue) throw new Error('unknown topic');
    await queue.add('message', { body });
  }
}

const app = express();
app.post('/topics', async (req, res) => {
  const topic = await db.saveTopic(req.body.name, req.body.parallel);
  Outbox.register(topic.name, topic.parallel);
  res.json(topic);
});
app.post('/messages', async (req, res) => {
  await Outbox.post(req.body.topic, req.body.body);
  res.end();
});
`,
    'db.ts': 'export const db = { async saveTopic(name: string, parallel: number) { return { name, parallel }; } };\n',
  };

  it('built from the settings a request saved: a copy of those settings, not a session (untyped and typed)', () => {
    const expected = [
      '12:10 no-process-local-cache: `queues` caches shared data in this process; it is written by POST /topics (server.ts:29). When another instance changes that data, this copy stays stale until this process restarts.',
      '13:10 no-process-local-cache: `workers` caches shared data in this process; it is written by POST /topics (server.ts:29). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(registry, 'server.ts', [...RULES])).toEqual(expected);
    expect(typed(registry, 'server.ts', [...RULES])).toEqual(expected);
  });

  it('look-alike, quiet: a Bull queue opened per tenant on first use from the key alone is a handle (untyped and typed)', () => {
    const files = {
      'server.ts': `import express from 'express';
import Queue from 'bull';

const exportQueues: Record<string, Queue.Queue> = {};

function exportQueue(tenant: string) {
  if (!exportQueues[tenant]) exportQueues[tenant] = new Queue(\`exports-\${tenant}\`, process.env.REDIS_URL!);
  return exportQueues[tenant];
}

const app = express();
app.post('/exports/:tenant', async (req, res) => {
  const job = await exportQueue(req.params.tenant).add({ format: req.body.format });
  res.json({ id: job.id });
});
`,
    };
    expect(untyped(files, 'server.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'server.ts', [...RULES])).toEqual([]);
  });

  it('look-alike, stays a session: records of the jobs users queued, kept by job id (untyped and typed)', () => {
    const files = {
      'server.ts': `import express from 'express';
import { Queue } from 'bullmq';

const renders = new Queue('renders');
const submitted = new Map<string, { owner: string; format: string }>();

const app = express();
app.post('/renders', async (req, res) => {
  const job = await renders.add('render', { format: req.body.format });
  submitted.set(job.id!, { owner: req.body.user, format: req.body.format });
  res.json({ id: job.id });
});
app.get('/renders/:id', (req, res) => res.json(submitted.get(req.params.id) ?? null));
`,
    };
    const expected = [
      '5:7 no-in-memory-session: `submitted` holds application data in this process; it is written by POST /renders (server.ts:8). A second instance will not see it.',
    ];
    expect(untyped(files, 'server.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'server.ts', [...RULES])).toEqual(expected);
  });
});
