import { describe, expect, it } from 'vitest';
import type * as ts from 'typescript';
import { analyzeSourceFile, planFixes, type RuleId } from '../index';
import { applyPlan as apply, ROOT } from '../testing/fix-plans';
import { createProgram } from '../testing/program';

function plan(files: Record<string, string>, ruleId: RuleId, fileName: string, options: ts.CompilerOptions = {}) {
  const program = createProgram(files, options);
  const sourceFile = program.getSourceFile(fileName)!;
  const finding = analyzeSourceFile(sourceFile, { program, projectRoot: ROOT, rules: [ruleId] })[0];
  expect(finding, `a ${ruleId} finding in ${fileName}`).toBeDefined();
  return planFixes(sourceFile, finding, { program, projectRoot: ROOT });
}

function findingsAfter(files: Record<string, string>, ruleId: RuleId): number {
  const program = createProgram(files);
  return Object.keys(files)
    .filter((name) => name.endsWith('.ts'))
    .reduce((count, name) => count + analyzeSourceFile(program.getSourceFile(name)!, { program, projectRoot: ROOT, rules: [ruleId] }).length, 0);
}

const SESSIONS = `export interface ApiSession { token: string; userId: number }

// Kept in memory so lookups are free.
const sessions = new Map<string, ApiSession>();

export function createSession(userId: number): ApiSession {
  const session = { token: String(Math.random()), userId };
  sessions.set(session.token, session);
  return session;
}

export function findSession(token: string): ApiSession | undefined {
  return sessions.get(token);
}
`;

const ROUTES = `import express from 'express';
import { createSession, findSession } from './sessions';

export const app = express();

app.post('/login', (req, res) => {
  const session = createSession(1);
  res.json({ token: session.token });
});

app.get('/me', (req, res) => {
  const userId = findSession(String(req.headers.authorization)).userId;
  res.json({ userId });
});
`;

describe('planFixes: a session Map moves to the Redis session store', () => {
  const files = { [`${ROOT}/src/sessions.ts`]: SESSIONS, [`${ROOT}/src/routes.ts`]: ROUTES };

  it('awaits every use, makes the functions and their callers async, and imports the adapter', () => {
    const planned = plan(files, 'no-in-memory-session', `${ROOT}/src/sessions.ts`);
    const move = planned.plans.find((candidate) => candidate.messageId === 'sessionMoveToStore')!;
    expect(move.message).toBe('Move `sessions` to the Redis session store (src/scaling/session-store.ts)');
    expect(move.createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/redis.ts`, `${ROOT}/src/scaling/session-store.ts`]);
    const fixed = apply(files, move);
    expect(fixed[`${ROOT}/src/sessions.ts`]).toBe(`import { createSessionStore } from './scaling/session-store';
export interface ApiSession { token: string; userId: number }

// Kept in memory so lookups are free.
const sessions = createSessionStore<ApiSession>('sessions');

export async function createSession(userId: number): Promise<ApiSession> {
  const session = { token: String(Math.random()), userId };
  await sessions.set(session.token, session);
  return session;
}

export async function findSession(token: string): Promise<ApiSession | undefined> {
  return await sessions.get(token);
}
`);
    expect(fixed[`${ROOT}/src/routes.ts`]).toBe(`import express from 'express';
import { createSession, findSession } from './sessions';

export const app = express();

app.post('/login', async (req, res) => {
  const session = await createSession(1);
  res.json({ token: session.token });
});

app.get('/me', async (req, res) => {
  const userId = (await findSession(String(req.headers.authorization))).userId;
  res.json({ userId });
});
`);
    // Applied once, the hazard is gone: a second run has nothing to fix.
    expect(findingsAfter(fixed, 'no-in-memory-session')).toBe(0);
  });

  it('refuses, with the reason, when a use has no counterpart in the store', () => {
    const withSize = { ...files, [`${ROOT}/src/sessions.ts`]: `${SESSIONS}\nexport const sessionIds = (ids: string[]) => sessions.forEach((session, sid, all) => ids.push(sid + ' of ' + all.size));\n` };
    expect(plan(withSize, 'no-in-memory-session', `${ROOT}/src/sessions.ts`).refused).toEqual({
      title: 'Move `sessions` to the Redis session store',
      reason: '`sessions.forEach` (src/sessions.ts:16) has no counterpart in the Redis adapter',
    });
  });

  it('refuses when a caller would have to become an async callback of filter() (an async predicate is always truthy)', () => {
    const filtered = { ...files, [`${ROOT}/src/report.ts`]: `import { findSession } from './sessions';\nexport const live = (tokens: string[]) => tokens.filter((token) => findSession(token));\n` };
    expect(plan(filtered, 'no-in-memory-session', `${ROOT}/src/sessions.ts`).refused?.reason).toBe('the function is a callback of `tokens.filter` that must stay synchronous (src/report.ts:2)');
  });

  it('refuses when a caller would have to become an async callback of map() with a side effect the other elements see', () => {
    const mapped = { ...files, [`${ROOT}/src/report.ts`]: `import { findSession } from './sessions';\nconst seen = new Set<string>();\nexport const users = (tokens: string[]) => tokens.map((token) => {\n  seen.add(token);\n  return findSession(token);\n});\n` };
    expect(plan(mapped, 'no-in-memory-session', `${ROOT}/src/sessions.ts`).refused?.reason).toBe('the function is a callback of `tokens.map` that must stay synchronous (src/report.ts:3)');
  });
});

describe('planFixes: counters move to the Redis counter', () => {
  it('turns a read-modify-write Map increment into one atomic increment', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import express from 'express';
export const app = express();
const views = new Map<number, number>();
app.get('/p/:id', (req, res) => {
  const id = Number(req.params.id);
  const count = (views.get(id) ?? 0) + 1;
  views.set(id, count);
  res.json({ count });
});
app.get('/p/:id/likes', (req, res) => {
  views.set(Number(req.params.id), (views.get(Number(req.params.id)) ?? 0) + 1);
  res.json({ views: views.get(Number(req.params.id)) });
});
`,
    };
    const move = plan(files, 'no-in-memory-counter', `${ROOT}/src/app.ts`).plans.at(-1)!;
    // The engine lets the plan drop the `set` only because the plan says why.
    expect(move.notes).toEqual(['removes `views.set(id, count)` (src/app.ts:7): `views.increment(id)` above writes the new count in one atomic step']);
    const fixed = apply(files, move);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { createCounterMap } from './scaling/counter';
export const app = express();
const views = createCounterMap('views');
app.get('/p/:id', async (req, res) => {
  const id = Number(req.params.id);
  const count = await views.increment(id);
  res.json({ count });
});
app.get('/p/:id/likes', async (req, res) => {
  await views.increment(Number(req.params.id));
  res.json({ views: await views.get(Number(req.params.id)) });
});
`);
  });

  it('a count per key emptied by a daily job: `clear()` empties the counts on every instance, and the job awaits it', () => {
    const watering = `// Today's watering log: how many times each plot has been watered since midnight.
export const wateredToday = new Map<number, number>();

export function water(plotId: number): number {
  const count = (wateredToday.get(plotId) ?? 0) + 1;
  wateredToday.set(plotId, count);
  return count;
}

export function resetWatering(): void {
  wateredToday.clear();
}
`;
    const files = {
      [`${ROOT}/src/watering.ts`]: watering,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import cron from 'node-cron';
import { resetWatering, water, wateredToday } from './watering';
export const app = express();
app.post('/plots/:id/water', (req, res) => {
  res.json({ wateredToday: water(Number(req.params.id)) });
});
app.get('/plots/:id', (req, res) => {
  res.json({ wateredToday: wateredToday.get(Number(req.params.id)) ?? 0 });
});
cron.schedule('0 0 * * *', () => resetWatering());
`,
      [`${ROOT}/node_modules/node-cron/index.d.ts`]: "declare const cron: { schedule(expression: string, run: () => void): unknown };\nexport default cron;\n",
    };
    const move = plan(files, 'no-in-memory-counter', `${ROOT}/src/watering.ts`).plans.at(-1)!;
    expect(move.messageId).toBe('counterMoveToRedis');
    const fixed = apply(files, move);
    expect(fixed[`${ROOT}/src/watering.ts`]).toBe(`import { createCounterMap } from './scaling/counter';
// Today's watering log: how many times each plot has been watered since midnight.
export const wateredToday = createCounterMap('wateredToday');

export async function water(plotId: number): Promise<number> {
  const count = await wateredToday.increment(plotId);
  return count;
}

export async function resetWatering(): Promise<void> {
  await wateredToday.clear();
}
`);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import cron from 'node-cron';
import { resetWatering, water, wateredToday } from './watering';
export const app = express();
app.post('/plots/:id/water', async (req, res) => {
  res.json({ wateredToday: await water(Number(req.params.id)) });
});
app.get('/plots/:id', async (req, res) => {
  res.json({ wateredToday: await wateredToday.get(Number(req.params.id)) ?? 0 });
});
cron.schedule('0 0 * * *', async () => await resetWatering());
`);
    // Untyped, the same: a JavaScript module's Map of counts.
    const js = {
      [`${ROOT}/src/watering.js`]: watering.replace('new Map<number, number>()', 'new Map()').replace('(plotId: number): number', '(plotId)').replace('(): void', '()'),
      [`${ROOT}/src/app.js`]: files[`${ROOT}/src/app.ts`].replace("from './watering'", "from './watering.js'"),
    };
    const jsMove = plan(js, 'no-in-memory-counter', `${ROOT}/src/watering.js`).plans.at(-1)!;
    expect(apply(js, jsMove)[`${ROOT}/src/watering.js`]).toContain('export async function resetWatering() {\n  await wateredToday.clear();\n}');
    // \`clear\` read without a call (handed on as a function) has no counterpart still.
    const handedOn = { ...files, [`${ROOT}/src/watering.ts`]: `${watering}export const forget = wateredToday.clear;\n` };
    expect(plan(handedOn, 'no-in-memory-counter', `${ROOT}/src/watering.ts`).refused?.reason).toBe('`wateredToday.clear` (src/watering.ts:13) has no counterpart in the Redis adapter');
  });

  it('turns a number into a counter: n++ increments, reads get', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import express from 'express';
export const app = express();
let ordersPlaced = 0;
app.post('/orders', (req, res) => {
  ordersPlaced++;
  res.status(201).end();
});
app.get('/stats', (req, res) => res.json({ ordersPlaced }));
`,
    };
    const fixed = apply(files, plan(files, 'no-in-memory-counter', `${ROOT}/src/app.ts`).plans.at(-1)!);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { createCounter } from './scaling/counter';
export const app = express();
const ordersPlaced = createCounter('ordersPlaced');
app.post('/orders', async (req, res) => {
  await ordersPlaced.increment();
  res.status(201).end();
});
app.get('/stats', async (req, res) => res.json({ ordersPlaced: await ordersPlaced.get() }));
`);
  });
});

describe('planFixes: local files move to the object store', () => {
  it('rewrites the upload storage and the route that serves the files', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import path from 'node:path';
import express from 'express';
import multer from 'multer';
export const app = express();
const upload = multer({ dest: 'uploads/' });
app.post('/files', upload.single('file'), (req, res) => res.json({ id: req.file?.filename }));
app.get('/files/:id', (req, res) => {
  res.sendFile(path.resolve('uploads', req.params.id));
});
`,
    };
    const fixed = apply(files, plan(files, 'no-local-disk-write', `${ROOT}/src/app.ts`).plans.at(-1)!);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import path from 'node:path';
import express from 'express';
import multer from 'multer';
import { objectStorage, objectStore } from './scaling/object-store';
export const app = express();
const upload = multer({ storage: objectStorage({ destination: 'uploads/' }) });
app.post('/files', upload.single('file'), (req, res) => res.json({ id: req.file?.filename }));
app.get('/files/:id', (req, res) => {
  objectStore.sendFile(res, path.resolve('uploads', req.params.id));
});
`);
  });

  it('rewrites writeFile(path, data) and the readFile of the same path', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import fs from 'node:fs';
import express from 'express';
export const app = express();
const reportPath = (id: string) => \`reports/\${id}.txt\`;
app.post('/reports/:id', async (req, res) => {
  await fs.promises.writeFile(reportPath(req.params.id), String(req.body));
  res.status(201).end();
});
app.get('/reports/:id', async (req, res) => {
  res.send(await fs.promises.readFile(reportPath(req.params.id)));
});
`,
    };
    const fixed = apply(files, plan(files, 'no-local-disk-write', `${ROOT}/src/app.ts`).plans.at(-1)!);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { objectStore } from './scaling/object-store';
export const app = express();
const reportPath = (id: string) => \`reports/\${id}.txt\`;
app.post('/reports/:id', async (req, res) => {
  await objectStore.putFile(reportPath(req.params.id), String(req.body));
  res.status(201).end();
});
app.get('/reports/:id', async (req, res) => {
  res.send(await objectStore.getFile(reportPath(req.params.id)));
});
`);
  });
});

describe('planFixes: blocking work leaves the request', () => {
  it('uses the async twin of a sync API and awaits it up through the callers', () => {
    const files = {
      [`${ROOT}/src/hash.ts`]: `import crypto from 'node:crypto';\nexport function hash(password: string): string {\n  return crypto.scryptSync(password, 'salt', 32).toString('hex');\n}\n`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';\nimport { hash } from './hash';\nexport const app = express();\napp.post('/login', (req, res) => {\n  res.json({ ok: hash(req.body.password) === 'x' });\n});\n`,
    };
    const planned = plan(files, 'no-blocking-request-work', `${ROOT}/src/hash.ts`);
    expect(planned.plans.at(-1)!.message).toBe('Use the async API: `crypto.scrypt`');
    const fixed = apply(files, planned.plans.at(-1)!);
    // Not `promisify(crypto.scrypt)`: its type is `unknown` (the last overload takes options).
    expect(fixed[`${ROOT}/src/hash.ts`]).toBe(`import crypto from 'node:crypto';\nexport async function hash(password: string): Promise<string> {\n  return (await new Promise<Buffer>((resolve, reject) => crypto.scrypt(password, 'salt', 32, (error, result) => (error ? reject(error) : resolve(result))))).toString('hex');\n}\n`);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';\nimport { hash } from './hash';\nexport const app = express();\napp.post('/login', async (req, res) => {\n  res.json({ ok: await hash(req.body.password) === 'x' });\n});\n`);
  });

  it('moves slow work called through an exported function to the job queue, and registers it for the worker', () => {
    const files = {
      [`${ROOT}/src/mail.ts`]: `import nodemailer from 'nodemailer';\nconst transporter = nodemailer.createTransport({ jsonTransport: true });\nexport async function sendWelcome(to: string): Promise<void> {\n  await transporter.sendMail({ to, subject: 'Welcome' });\n}\n`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';\nimport { sendWelcome } from './mail';\nexport const app = express();\napp.post('/signup', async (req, res) => {\n  await sendWelcome(req.body.email);\n  res.status(201).end();\n});\n`,
    };
    const planned = plan(files, 'no-blocking-request-work', `${ROOT}/src/mail.ts`);
    const move = planned.plans.at(-1)!;
    expect(move.message).toBe('Run `sendWelcome` on the job queue: the worker does it and the request no longer waits');
    const fixed = apply(files, move);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';\nimport { enqueueJob } from './scaling/job-queue';\nexport const app = express();\napp.post('/signup', async (req, res) => {\n  await enqueueJob('sendWelcome', [req.body.email]);\n  res.status(201).end();\n});\n`);
    expect(fixed[`${ROOT}/src/scaling/jobs.ts`]).toBe(`// Jobs the worker runs (worker.ts), by name. Stateless adds an entry each time it moves slow work off a request.\nimport { sendWelcome } from '../mail';\n\nexport const jobs = {\n  sendWelcome,\n};\n`);
  });

  it('answers 202 with the job id when the handler only sends the result back', () => {
    const files = {
      [`${ROOT}/src/pdf.ts`]: `import PDFDocument from 'pdfkit';\nexport function render(title: string): Promise<Buffer> {\n  return new Promise((resolve) => {\n    const doc = new PDFDocument();\n    doc.text(title);\n    doc.end();\n    resolve(Buffer.from(title));\n  });\n}\n`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';\nimport { render } from './pdf';\nexport const app = express();\napp.post('/pdf', async (req, res) => {\n  const pdf = await render(req.body.title);\n  res.send(pdf);\n});\n`,
    };
    const move = plan(files, 'no-blocking-request-work', `${ROOT}/src/pdf.ts`).plans.at(-1)!;
    expect(move.message).toBe('Run `render` on the job queue and answer 202 Accepted with the job id (changes the API)');
    expect(move.notes).toEqual([
      "replaces `const pdf = await render(req.body.title)` (src/app.ts:5) with `const { id: jobId } = await enqueueJob('render', [req.body.title])`: the worker runs `render` and the handler answers 202 Accepted with the job id",
      "removes `import { render } from './pdf'` (src/app.ts:2): `render` has no use left after the fix",
    ]);
    expect(apply(files, move)[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';\nimport { enqueueJob } from './scaling/job-queue';\nexport const app = express();\napp.post('/pdf', async (req, res) => {\n  const { id: jobId } = await enqueueJob('render', [req.body.title]);\n  res.status(202).json({ jobId });\n});\n`);
  });

  // The handler answers with what a service method returns, and the mail is one statement inside it:
  // only the mail moves, so the reply and the errors the method throws (a 409) stay what they were.
  it('enqueues the slow call that stands as a statement inside the service method the handler answers with, not the whole method', () => {
    const files = {
      [`${ROOT}/src/mail.ts`]: `import nodemailer from 'nodemailer';\nconst transport = nodemailer.createTransport({ jsonTransport: true });\nexport async function sendConfirmation(to: string, day: string): Promise<void> {\n  await transport.sendMail({ to, subject: \`Booked for \${day}\` });\n}\n`,
      [`${ROOT}/src/bookings.ts`]: `import { randomUUID } from 'node:crypto';\nimport { sendConfirmation } from './mail';\nconst taken = new Set<string>();\nexport class BookingService {\n  async book(email: string, day: string) {\n    if (taken.has(day)) throw new Error('taken');\n    taken.add(day);\n    await sendConfirmation(email, day);\n    return { id: randomUUID(), day };\n  }\n}\nexport const bookingService = new BookingService();\n`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';\nimport { bookingService } from './bookings';\nexport const app = express();\napp.post('/bookings', async (req, res) => {\n  const booking = await bookingService.book(req.body.email, req.body.day);\n  res.status(201).json(booking);\n});\n`,
    };
    const move = plan(files, 'no-blocking-request-work', `${ROOT}/src/mail.ts`).plans.at(-1)!;
    expect(move.message).toBe('Run `sendConfirmation` on the job queue: the worker does it and the request no longer waits');
    const fixed = apply(files, move);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(files[`${ROOT}/src/app.ts`]);
    expect(fixed[`${ROOT}/src/bookings.ts`]).toBe(`import { randomUUID } from 'node:crypto';\nimport { enqueueJob } from './scaling/job-queue';\nconst taken = new Set<string>();\nexport class BookingService {\n  async book(email: string, day: string) {\n    if (taken.has(day)) throw new Error('taken');\n    taken.add(day);\n    await enqueueJob('sendConfirmation', [email, day]);\n    return { id: randomUUID(), day };\n  }\n}\nexport const bookingService = new BookingService();\n`);
  });
});
