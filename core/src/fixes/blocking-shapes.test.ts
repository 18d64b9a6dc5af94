import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan, planFirst } from '../testing/fix-plans';

// Slow work in a function that is also passed as a value (an event listener, a retry wrapper):
// the function stays as it is for those uses; only the call on the request path goes to the queue.

describe('planFixes: slow work in a function that is also used as a value', () => {
  it('TypeScript: the request-path call is queued; the listener keeps the function', () => {
    const files = {
      [`${ROOT}/src/mail.ts`]: `import nodemailer from 'nodemailer';
import { EventEmitter } from 'node:events';
const transporter = nodemailer.createTransport({ jsonTransport: true });
export async function sendWelcome(to: string): Promise<void> {
  await transporter.sendMail({ to, subject: 'Welcome' });
}
export const events = new EventEmitter();
events.on('invited', sendWelcome);
`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { sendWelcome } from './mail';
export const app = express();
app.post('/signup', async (req, res) => {
  await sendWelcome(req.body.email);
  res.status(201).end();
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/mail.ts`));
    expect(fixed[`${ROOT}/src/mail.ts`]).toBe(files[`${ROOT}/src/mail.ts`]);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { enqueueJob } from './scaling/job-queue';
export const app = express();
app.post('/signup', async (req, res) => {
  await enqueueJob('sendWelcome', [req.body.email]);
  res.status(201).end();
});
`);
  });

  it('CommonJS: a sync hash in a function passed to map() by name: its calls are awaited together; one that takes the index too is refused, naming the value use', () => {
    const source = (parameters: string): string => `const express = require('express');
const crypto = require('crypto');
function digest(${parameters}) {
  return crypto.scryptSync(password, 'salt', 32).toString('hex');
}
const app = express();
app.post('/login', (req, res) => {
  res.json({ ok: digest(req.body.password) === 'x' });
});
app.post('/bulk', (req, res) => {
  res.json(req.body.passwords.map(digest));
});
module.exports = app;
`;
    const single = { [`${ROOT}/src/app.js`]: source('password') };
    expect(applyPlan(single, movePlan(single, 'no-blocking-request-work', `${ROOT}/src/app.js`))[`${ROOT}/src/app.js`]).toContain('  res.json(await Promise.all(req.body.passwords.map(digest)));');
    expect(planFirst({ [`${ROOT}/src/app.js`]: source('password, index') }, 'no-blocking-request-work', `${ROOT}/src/app.js`).refused?.reason).toBe('`digest` is passed as a value at src/app.js:11');
  });

  it('CommonJS: a function passed as a value other than to map() is refused, naming the value use', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
const crypto = require('crypto');
function digest(password) {
  return crypto.scryptSync(password, 'salt', 32).toString('hex');
}
const app = express();
app.post('/login', (req, res) => {
  res.json({ ok: digest(req.body.password) === 'x' });
});
app.post('/bulk', (req, res) => {
  res.json(req.body.passwords.filter(digest));
});
module.exports = app;
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/app.js`).refused).toEqual({
      title: 'Take the work off the request',
      reason: '`digest` is passed as a value at src/app.js:11',
    });
  });
});

describe('planFixes: a class member only a library calls stays synchronous', () => {
  const STATE_STORE = `import crypto from 'node:crypto';
import express from 'express';

function sessionHash(userId: string): string {
  return crypto.scryptSync(userId, 'oauth-session', 32).toString('hex');
}

// Handed to the OAuth strategy, which calls store(req, callback) and ignores what it returns.
export class StateStore {
  store = (req: express.Request, callback: (err: Error | null, state?: string) => void) => {
    if (!req.query.host) throw new Error('host is required');
    callback(null, sessionHash(String(req.query.user)));
  };
}

export const app = express();
app.get('/session-hash', (req, res) => {
  res.json({ hash: sessionHash(String(req.query.user)) });
});
`;

  it('refuses: an error thrown in the store would become a rejection nothing handles', () => {
    expect(planFirst({ [`${ROOT}/src/app.ts`]: STATE_STORE }, 'no-blocking-request-work', `${ROOT}/src/app.ts`).refused).toEqual({
      title: 'Take the work off the request',
      reason: '`store` is not called by the program itself (src/app.ts:10): what calls it, through the object it is handed to, does not wait for a promise',
    });
  });

  it('the look-alike: a member the program calls itself is awaited where it is called', () => {
    const called = { [`${ROOT}/src/app.ts`]: STATE_STORE.replace("app.get('/session-hash', (req, res) => {", "app.get('/state', (req, res) => {\n  new StateStore().store(req, (err, state) => res.json({ state }));\n});\napp.get('/session-hash', (req, res) => {") };
    const fixed = applyPlan(called, movePlan(called, 'no-blocking-request-work', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`];
    expect(fixed).toContain('  store = async (req: express.Request, callback: (err: Error | null, state?: string) => void) => {');
    expect(fixed).toContain("app.get('/state', async (req, res) => {\n  await new StateStore().store(req, (err, state) => res.json({ state }));");
  });
});

// `promisify(crypto.scrypt)` is `unknown` under every @types/node (its last overload takes
// options): scrypt is wrapped in a promise by hand, typed in TypeScript; APIs whose promisify
// types right keep it.

describe('planFixes: callback APIs as the async twin', () => {
  it('Fastify, TypeScript: scryptSync in a template literal becomes a typed promise around crypto.scrypt', () => {
    const files = {
      [`${ROOT}/src/routes/auth.ts`]: `import crypto from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
function hash(password: string, salt: string): string {
  return crypto.scryptSync(password, salt, 32).toString('hex');
}
const auth: FastifyPluginAsync = async (fastify) => {
  fastify.post<{ Body: { password: string } }>('/agents', async (request, reply) => {
    const salt = crypto.randomBytes(16).toString('hex');
    return reply.code(201).send({ hash: \`\${salt}:\${hash(request.body.password, salt)}\` });
  });
};
export default auth;
`,
    };
    const plan = movePlan(files, 'no-blocking-request-work', `${ROOT}/src/routes/auth.ts`);
    expect(plan.message).toBe('Use the async API: `crypto.scrypt`');
    expect(applyPlan(files, plan)[`${ROOT}/src/routes/auth.ts`]).toBe(`import crypto from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
async function hash(password: string, salt: string): Promise<string> {
  return (await new Promise<Buffer>((resolve, reject) => crypto.scrypt(password, salt, 32, (error, result) => (error ? reject(error) : resolve(result))))).toString('hex');
}
const auth: FastifyPluginAsync = async (fastify) => {
  fastify.post<{ Body: { password: string } }>('/agents', async (request, reply) => {
    const salt = crypto.randomBytes(16).toString('hex');
    return reply.code(201).send({ hash: \`\${salt}:\${await hash(request.body.password, salt)}\` });
  });
};
export default auth;
`);
  });

  it('Express, CommonJS: the promise around crypto.scrypt has no type argument', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
const crypto = require('crypto');
const app = express();
app.post('/login', (req, res) => {
  const key = crypto.scryptSync(req.body.password, 'salt', 64, { N: 1024 });
  res.json({ key: key.toString('hex') });
});
module.exports = app;
`,
    };
    expect(applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/app.js`))[`${ROOT}/src/app.js`]).toBe(`const express = require('express');
const crypto = require('crypto');
const app = express();
app.post('/login', async (req, res) => {
  const key = await new Promise((resolve, reject) => crypto.scrypt(req.body.password, 'salt', 64, { N: 1024 }, (error, result) => (error ? reject(error) : resolve(result))));
  res.json({ key: key.toString('hex') });
});
module.exports = app;
`);
  });

  it('an argument named resolve is not hidden by the promise: refused, naming it', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import crypto from 'node:crypto';
const resolve = (password: string) => password.trim();
export const app = express();
app.post('/login', (req, res) => {
  res.json({ key: crypto.scryptSync(resolve(req.body.password), 'salt', 32).toString('hex') });
});
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/app.ts`).refused).toEqual({
      title: 'Take the work off the request',
      reason: 'an argument of `crypto.scryptSync` names `resolve` or `reject`, which the promise around the async call would hide',
    });
  });

  it('Koa: pbkdf2Sync keeps promisify, whose type is right', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import Koa from 'koa';
import crypto from 'node:crypto';
export const app = new Koa();
app.use((ctx) => {
  ctx.body = crypto.pbkdf2Sync(String(ctx.query.p), 'salt', 100000, 32, 'sha256').toString('hex');
});
`,
    };
    const plan = movePlan(files, 'no-blocking-request-work', `${ROOT}/src/app.ts`);
    expect(plan.message).toBe('Use the async API: `promisify(crypto.pbkdf2)`');
    expect(applyPlan(files, plan)[`${ROOT}/src/app.ts`]).toBe(`import Koa from 'koa';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
export const app = new Koa();
app.use(async (ctx) => {
  ctx.body = (await promisify(crypto.pbkdf2)(String(ctx.query.p), 'salt', 100000, 32, 'sha256')).toString('hex');
});
`);
  });
});

describe('planFixes: slow work whose caller goes on in a callback', () => {
  const MAILER_JS = `var nodemailer = require('nodemailer');
var transporter = nodemailer.createTransport({ jsonTransport: true });
exports.sendWelcome = function (member, callback) {
  transporter.sendMail({ to: member.email, subject: 'Welcome' }, callback);
};
`;

  it('Express, CommonJS: a welcome mail sent with the route’s callback is enqueued; the callback runs once it is, with the error of the enqueue', () => {
    const files = {
      [`${ROOT}/lib/mailer.js`]: MAILER_JS,
      [`${ROOT}/routes/auth.js`]: `var express = require('express');
var mailer = require('../lib/mailer');
var router = express.Router();
router.post('/signup', function (req, res) {
  mailer.sendWelcome(req.body, function (err, info) {
    res.status(201).json({ welcomeSent: !err });
  });
});
module.exports = router;
`,
    };
    const plan = movePlan(files, 'no-blocking-request-work', `${ROOT}/lib/mailer.js`);
    expect(plan.message).toBe('Run `sendWelcome` on the job queue: the worker does it and the request no longer waits');
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/routes/auth.js`]).toBe(`var express = require('express');
require('../lib/mailer');
const { enqueueJob } = require('../src/scaling/job-queue');
const { callbackify } = require('node:util');
var router = express.Router();
router.post('/signup', function (req, res) {
  callbackify(() => enqueueJob('sendWelcome', [req.body]))(function (err, info) {
    res.status(201).json({ welcomeSent: !err });
  });
});
module.exports = router;
`);
    expect(fixed[`${ROOT}/lib/mailer.js`]).toBe(MAILER_JS);
    // The worker waits for the function's callback.
    expect(fixed[`${ROOT}/src/scaling/jobs.js`]).toBe(`// Jobs the worker runs (worker.js), by name. Stateless adds an entry each time it moves slow work off a request.
const { promisify } = require('node:util');
const { sendWelcome } = require('../../lib/mailer');
const jobs = {
  sendWelcome: promisify(sendWelcome),
};

module.exports = { jobs };
`);
  });

  it('TypeScript: a callback that takes no arguments runs once the mail is enqueued', () => {
    const files = {
      [`${ROOT}/src/mailer.ts`]: `import nodemailer from 'nodemailer';
const transporter = nodemailer.createTransport({ jsonTransport: true });
export function sendExportReady(to: string, file: string, callback: (err: Error | null) => void): void {
  transporter.sendMail({ to, subject: 'Your export is ready', text: file }, callback);
}
`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { sendExportReady } from './mailer';
export const app = express();
app.post('/exports', (req, res) => {
  sendExportReady(req.body.email, 'export.csv', () => {
    res.status(201).json({ file: 'export.csv' });
  });
});
`,
    };
    expect(applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/mailer.ts`))[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { enqueueJob } from './scaling/job-queue';
import { callbackify } from 'node:util';
export const app = express();
app.post('/exports', (req, res) => {
  callbackify(() => enqueueJob('sendExportReady', [req.body.email, 'export.csv']))(() => {
    res.status(201).json({ file: 'export.csv' });
  });
});
`);
  });

  it('a callback that uses what the mail gives back (the transport’s info) is refused, naming it', () => {
    const files = {
      [`${ROOT}/lib/mailer.js`]: MAILER_JS,
      [`${ROOT}/routes/auth.js`]: `var express = require('express');
var mailer = require('../lib/mailer');
var router = express.Router();
router.post('/signup', function (req, res) {
  mailer.sendWelcome(req.body, function (err, info) {
    res.status(201).json({ welcomeSent: !err, messageId: info && info.messageId });
  });
});
module.exports = router;
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/lib/mailer.js`).refused).toEqual({
      title: 'Take the work off the request',
      reason: 'the request goes on in the callback given to `mailer.sendWelcome(…)` (routes/auth.js:5) and uses what the work gives back (`info`), which a queued job does not return',
    });
  });
});

// A handler that goes on with what the slow work returns cannot answer before the work is done:
// the refusal names where the result is taken.

describe('planFixes: slow work whose result the handler uses', () => {
  it('Express, TypeScript promise chain: refused, naming the .then callback that takes the result', () => {
    const files = {
      [`${ROOT}/src/mail.ts`]: `import nodemailer from 'nodemailer';
const transport = nodemailer.createTransport({ jsonTransport: true });
export function sendInvoiceMail(to: string, id: number): Promise<string> {
  return transport.sendMail({ to, subject: \`Invoice #\${id}\` }).then((info) => String(info.messageId));
}
`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { sendInvoiceMail } from './mail';
export const app = express();
app.post('/invoices/:id/send', (req, res, next) => {
  sendInvoiceMail(req.body.email, Number(req.params.id))
    .then((messageId) => res.json({ mailed: Boolean(messageId) }))
    .catch(next);
});
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/mail.ts`).refused).toEqual({
      title: 'Take the work off the request',
      reason: 'the handler goes on to use what `sendInvoiceMail()` returns: `(messageId) => res.json({ mailed: Boolean(messageId) })` (src/app.ts:6); move that work into the job too',
    });
  });
});

describe('planFixes: slow work written in the handler itself', () => {
  it('Express, TypeScript: refused, naming the call and the value it is made on', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import nodemailer from 'nodemailer';
const transporter = nodemailer.createTransport({ jsonTransport: true });
export const app = express();
app.post('/tickets', async (req, res) => {
  await transporter.sendMail({ to: req.body.email, subject: 'We got your ticket' });
  res.status(201).end();
});
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/app.ts`).refused).toEqual({
      title: 'Take the work off the request',
      reason: '`transporter.sendMail(…)` (src/app.ts:6) is written in the handler itself, on `transporter`, which the worker does not have; move it into a module function the worker can run',
    });
  });
});

describe('planFixes: a sync API imported by name gets its async twin imported by name in its place', () => {
  it('TypeScript ESM: scryptSync from node:crypto becomes a typed promise around scrypt, whose import replaces the one left unused', () => {
    const files = {
      [`${ROOT}/src/passwords.ts`]: `import { randomBytes, scryptSync } from 'node:crypto';
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return scryptSync(password, salt, 64).toString('hex');
}
`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { hashPassword } from './passwords';
export const app = express();
app.post('/signup', (req, res) => {
  res.status(201).json({ hash: hashPassword(req.body.password) });
});
`,
    };
    const plan = movePlan(files, 'no-blocking-request-work', `${ROOT}/src/passwords.ts`);
    expect(plan.message).toBe('Use the async API: `scrypt`');
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/src/passwords.ts`]).toBe(`import { randomBytes, scrypt } from 'node:crypto';
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return (await new Promise<Buffer>((resolve, reject) => scrypt(password, salt, 64, (error, result) => (error ? reject(error) : resolve(result))))).toString('hex');
}
`);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(files[`${ROOT}/src/app.ts`].replace('(req, res) =>', 'async (req, res) =>').replace('hash: hashPassword(', 'hash: await hashPassword('));
  });

  it('CommonJS: gzipSync destructured from require(\'zlib\') becomes promisify(gzip), required the same way', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
const { gzipSync } = require('zlib');
const app = express();
app.get('/export', (req, res) => {
  res.type('application/gzip').send(gzipSync(JSON.stringify(req.query)));
});
module.exports = app;
`,
    };
    const plan = movePlan(files, 'no-blocking-request-work', `${ROOT}/src/app.js`);
    expect(plan.message).toBe('Use the async API: `promisify(gzip)`');
    expect(applyPlan(files, plan)[`${ROOT}/src/app.js`]).toBe(`const express = require('express');
const { gzip } = require('zlib');
const { promisify } = require('node:util');
const app = express();
app.get('/export', async (req, res) => {
  res.type('application/gzip').send(await promisify(gzip)(JSON.stringify(req.query)));
});
module.exports = app;
`);
  });

  it("readFileSync from node:fs becomes readFile from node:fs/promises; refused when `readFile` already names fs's callback API", () => {
    const route = (imports: string) => `import express from 'express';
${imports}
export const app = express();
app.get('/notes/:id', (req, res) => {
  res.send(readFileSync(\`notes/\${req.params.id}.txt\`, 'utf8'));
});
`;
    const files = { [`${ROOT}/src/app.ts`]: route("import { readFileSync } from 'node:fs';") };
    const plan = movePlan(files, 'no-blocking-request-work', `${ROOT}/src/app.ts`);
    expect(plan.message).toBe('Use the async API: `readFile`');
    expect(plan.notes).toEqual(["removes `import { readFileSync } from 'node:fs'` (src/app.ts:2): `readFileSync` has no other use, and `readFile` is imported from node:fs/promises in its place"]);
    expect(applyPlan(files, plan)[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { readFile } from 'node:fs/promises';
export const app = express();
app.get('/notes/:id', async (req, res) => {
  res.send(await readFile(\`notes/\${req.params.id}.txt\`, 'utf8'));
});
`);
    // Still used elsewhere, the sync import stays; one of several names, only it goes.
    const kept = { [`${ROOT}/src/app.ts`]: route("import { readFileSync } from 'node:fs';").replace('export const app', "export const banner = readFileSync('banner.txt', 'utf8');\nexport const app") };
    expect(applyPlan(kept, movePlan(kept, 'no-blocking-request-work', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`].split('\n').slice(1, 3)).toEqual(["import { readFileSync } from 'node:fs';", "import { readFile } from 'node:fs/promises';"]);
    const several = { [`${ROOT}/src/app.ts`]: route("import { existsSync, readFileSync } from 'node:fs';").replace('export const app', "export const hasBanner = existsSync('banner.txt');\nexport const app") };
    expect(applyPlan(several, movePlan(several, 'no-blocking-request-work', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`].split('\n').slice(1, 3)).toEqual(["import { existsSync } from 'node:fs';", "import { readFile } from 'node:fs/promises';"]);
    const taken = { [`${ROOT}/src/app.ts`]: route("import { readFile, readFileSync } from 'node:fs';") };
    expect(planFirst(taken, 'no-blocking-request-work', `${ROOT}/src/app.ts`).refused).toEqual({
      title: 'Take the work off the request',
      reason: '`readFileSync` is imported by name, and `readFile` already means something else here; call the async API on the module instead',
    });
  });
});

// Slow work in a method of the object a module exports (`module.exports = new Mailer()`,
// `export default new Mailer()`): the worker calls the method on that object, as the request did.
const MAILER_CLASS_JS = `const nodemailer = require('nodemailer');

class Mailer {
  constructor() {
    this.transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });
  }

  async sendWelcome(to) {
    await this.transport.sendMail({ to, subject: 'Welcome' });
  }
}

module.exports = new Mailer();
`;

const SIGNUP_JS = `const express = require('express');
const mailer = require('./mailer');
const app = express();
app.post('/signup', async (req, res) => {
  await mailer.sendWelcome(req.body.email);
  res.status(201).json({ ok: true });
});
module.exports = app;
`;

describe('planFixes: slow work in a method of the object a module exports', () => {
  it('CommonJS: the job calls the method on the required object, under the name the call site uses', () => {
    const files = { [`${ROOT}/src/mailer.js`]: MAILER_CLASS_JS, [`${ROOT}/src/app.js`]: SIGNUP_JS };
    const plan = movePlan(files, 'no-blocking-request-work', `${ROOT}/src/mailer.js`);
    expect(plan.message).toBe('Run `mailer.sendWelcome` on the job queue: the worker does it and the request no longer waits');
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/src/app.js`]).toContain("  await enqueueJob('mailer.sendWelcome', [req.body.email]);\n");
    expect(fixed[`${ROOT}/src/scaling/jobs.js`]).toBe(`// Jobs the worker runs (worker.js), by name. Stateless adds an entry each time it moves slow work off a request.
const mailer = require('../mailer');
const jobs = {
  'mailer.sendWelcome': (...args) => mailer.sendWelcome(...args),
};

module.exports = { jobs };
`);
  });

  it('TypeScript: a default-exported instance is imported by default in the registry, the job typed by the method', () => {
    const mailer = `import nodemailer from 'nodemailer';

class Mailer {
  private transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });

  async sendWelcome(to: string): Promise<void> {
    await this.transport.sendMail({ to, subject: 'Welcome' });
  }
}

export default new Mailer();
`;
    const app = `import express from 'express';
import mailer from './mailer';
export const app = express();
app.post('/signup', async (req, res) => {
  await mailer.sendWelcome(String(req.body.email));
  res.status(201).json({ ok: true });
});
`;
    const files = { [`${ROOT}/src/mailer.ts`]: mailer, [`${ROOT}/src/app.ts`]: app };
    const fixed = applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/mailer.ts`));
    expect(fixed[`${ROOT}/src/scaling/jobs.ts`]).toBe(`// Jobs the worker runs (worker.ts), by name. Stateless adds an entry each time it moves slow work off a request.
import mailer from '../mailer';

export const jobs = {
  'mailer.sendWelcome': (...args: Parameters<typeof mailer.sendWelcome>) => mailer.sendWelcome(...args),
};
`);
  });

  it('refused, naming the call, when the object is not the module the method is declared in', () => {
    const files = {
      [`${ROOT}/src/mailer.js`]: MAILER_CLASS_JS.replace('module.exports = new Mailer();', 'module.exports = { Mailer };'),
      [`${ROOT}/src/instance.js`]: "const { Mailer } = require('./mailer');\nmodule.exports = new Mailer();\n",
      [`${ROOT}/src/app.js`]: SIGNUP_JS.replace("require('./mailer')", "require('./instance')"),
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/mailer.js`).refused?.reason).toBe('`mailer.sendWelcome` is a method declared in src/mailer.js, not in the module `mailer` comes from; move the work into a module function');
  });
});

// The queue copies a job's arguments with v8's serializer: an object made by a class arrives as its
// fields alone (an ORM record's getters are gone: `user.email` is undefined in the worker), and a
// function cannot be copied at all (the enqueue throws).

const WELCOME_TS = `import nodemailer from 'nodemailer';
const transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });
export async function sendWelcome(user: { email: string; name: string }): Promise<void> {
  await transport.sendMail({ to: user.email, subject: \`Welcome, \${user.name}\` });
}
`;

describe('planFixes: what a queued job is given must survive the copy to the worker', () => {
  it('TypeScript: a record made by a class with methods and getters (an ORM model) is refused, naming the argument and what stays behind', () => {
    const files = {
      [`${ROOT}/src/mail.ts`]: WELCOME_TS,
      [`${ROOT}/src/models.ts`]: `export class User {
  constructor(private values: { email: string; name: string }) {}
  get email(): string { return this.values.email; }
  get name(): string { return this.values.name; }
  async save(): Promise<void> {}
  static async create(values: { email: string; name: string }): Promise<User> { const user = new User(values); await user.save(); return user; }
}
`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { sendWelcome } from './mail';
import { User } from './models';
export const app = express();
app.post('/signup', async (req, res) => {
  const user = await User.create({ email: String(req.body.email), name: String(req.body.name) });
  await sendWelcome(user);
  res.status(201).json({ ok: true });
});
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/mail.ts`).refused?.reason).toBe("the job's argument `user` (src/app.ts:7) is a `User`, whose methods and getters (`email`) stay behind: the worker gets its fields alone; pass the job the data it needs");
  });

  it('TypeScript: a row of plain data, Dates included, is enqueued as it is', () => {
    const files = {
      [`${ROOT}/src/mail.ts`]: WELCOME_TS.replace('{ email: string; name: string }', '{ email: string; name: string; createdAt: Date; tags: string[] }'),
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { sendWelcome } from './mail';
interface Row { id: number; email: string; name: string; createdAt: Date; tags: string[] }
declare function insertUser(email: string, name: string): Promise<Row>;
export const app = express();
app.post('/signup', async (req, res) => {
  const row = await insertUser(String(req.body.email), String(req.body.name));
  await sendWelcome(row);
  res.status(201).json({ id: row.id });
});
`,
    };
    expect(applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/mail.ts`))[`${ROOT}/src/app.ts`]).toContain("  await enqueueJob('sendWelcome', [row]);\n");
  });

  it('TypeScript: an object with a function in it is refused, naming the field', () => {
    const files = {
      [`${ROOT}/src/mail.ts`]: `import nodemailer from 'nodemailer';
const transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });
export async function sendWelcome(message: { to: string; onSent: () => void }): Promise<void> {
  await transport.sendMail({ to: message.to, subject: 'Welcome' });
  message.onSent();
}
`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { sendWelcome } from './mail';
export const app = express();
app.post('/signup', async (req, res) => {
  const message = { to: String(req.body.email), onSent: () => console.log('sent') };
  await sendWelcome(message);
  res.status(201).end();
});
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/mail.ts`).refused?.reason).toBe("the job's argument `message` (src/app.ts:6) is an object, whose `onSent` is a function, which the queue cannot copy; pass the job the data it needs");
  });

  it('CommonJS: an instance of a class the app declares is refused; the request body is enqueued', () => {
    const mail = `const nodemailer = require('nodemailer');
const transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });
async function sendWelcome(member) {
  await transport.sendMail({ to: member.email, subject: 'Welcome' });
}
module.exports = { sendWelcome };
`;
    const app = (argument: string): string => `const express = require('express');
const { sendWelcome } = require('./mail');
class Member {
  constructor(email) { this.email = email; }
  greeting() { return 'Hello ' + this.email; }
}
const app = express();
app.post('/join', async (req, res) => {
  const member = new Member(req.body.email);
  await sendWelcome(${argument});
  res.status(201).end();
});
module.exports = app;
`;
    const refused = { [`${ROOT}/src/mail.js`]: mail, [`${ROOT}/src/app.js`]: app('member') };
    expect(planFirst(refused, 'no-blocking-request-work', `${ROOT}/src/mail.js`).refused?.reason).toBe("the job's argument `member` (src/app.js:10) is a `Member`, whose methods and getters (`greeting`) stay behind: the worker gets its fields alone; pass the job the data it needs");
    const body = { [`${ROOT}/src/mail.js`]: mail, [`${ROOT}/src/app.js`]: app('req.body') };
    const fixed = applyPlan(body, movePlan(body, 'no-blocking-request-work', `${ROOT}/src/mail.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toContain("  await enqueueJob('sendWelcome', [req.body]);\n");
    expect(fixed[`${ROOT}/src/scaling/jobs.js`]).toContain("const { sendWelcome } = require('../mail');\n");
  });
});

describe('planFixes: slow work in a function its module does not export', () => {
  const ROUTES_JS = (argument: string): string => `const express = require('express');
const nodemailer = require('nodemailer');
const transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });
const router = express.Router();

async function sendWelcome(to) {
  await transport.sendMail({ to, subject: 'Welcome' });
}

router.post('/signup', async (req, res) => {
  await sendWelcome(${argument});
  res.status(201).json({ ok: true });
});

module.exports = router;
`;

  it('CommonJS: the function is exported at the end of its file, after what the module exports, and the registry requires it', () => {
    const files = { [`${ROOT}/src/routes.js`]: ROUTES_JS('req.body.email') };
    const fixed = applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/routes.js`));
    expect(fixed[`${ROOT}/src/routes.js`]).toContain("  await enqueueJob('sendWelcome', [req.body.email]);\n");
    expect(fixed[`${ROOT}/src/routes.js`].endsWith('module.exports = router;\nmodule.exports.sendWelcome = sendWelcome;\n')).toBe(true);
    expect(fixed[`${ROOT}/src/scaling/jobs.js`]).toContain("const { sendWelcome } = require('../routes');\n");
  });

  it('TypeScript: the function gets `export`', () => {
    const files = {
      [`${ROOT}/src/routes.ts`]: `import express from 'express';
import nodemailer from 'nodemailer';
const transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });
export const router = express.Router();

async function sendWelcome(to: string): Promise<void> {
  await transport.sendMail({ to, subject: 'Welcome' });
}

router.post('/signup', async (req, res) => {
  await sendWelcome(String(req.body.email));
  res.status(201).json({ ok: true });
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/routes.ts`));
    expect(fixed[`${ROOT}/src/routes.ts`]).toContain('\nexport async function sendWelcome(to: string): Promise<void> {\n');
    expect(fixed[`${ROOT}/src/scaling/jobs.ts`]).toContain("import { sendWelcome } from '../routes';\n");
  });

  it('refused when the job would be given the request itself, naming it', () => {
    const files = { [`${ROOT}/src/routes.js`]: ROUTES_JS('req') };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/routes.js`).refused?.reason).toBe("the job's argument `req` (src/routes.js:11) is what the handler was given (`req`), which the queue cannot copy; pass the job the data it needs");
  });

  it('refused when the request is inside what the job is given (`{ mailOptions, req }`, `[res]`, `{ ...ctx }`), naming it', () => {
    const reason = (argument: string): string | undefined => planFirst({ [`${ROOT}/src/routes.js`]: ROUTES_JS(argument) }, 'no-blocking-request-work', `${ROOT}/src/routes.js`).refused?.reason;
    expect(reason('{ to: req.body.email, req }')).toBe("the job's argument `{ to: req.body.email, req }` (src/routes.js:11) holds what the handler was given (`req`), which the queue cannot copy; pass the job the data it needs");
    expect(reason('{ to: req.body.email, response: res }')).toBe("the job's argument `{ to: req.body.email, response: res }` (src/routes.js:11) holds what the handler was given (`res`), which the queue cannot copy; pass the job the data it needs");
    expect(reason('[req.body.email, res]')).toBe("the job's argument `[req.body.email, res]` (src/routes.js:11) holds what the handler was given (`res`), which the queue cannot copy; pass the job the data it needs");
    // Data read off the request is data: the job is given a copy of it.
    expect(reason('{ to: req.body.email, ip: req.ip }')).toBeUndefined();
  });

  it("a NestJS handler's data parameters (`@Param('id') id: string`, `@Body() body`) are data the queue copies; `@Req() req` is still the request", () => {
    const controller = (parameters: string, argument: string) => ({
      [`${ROOT}/src/welcome.controller.ts`]: `import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import nodemailer from 'nodemailer';

const transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });

export async function sendWelcome(message: { to: string; id: string }): Promise<void> {
  await transport.sendMail({ to: message.to, subject: \`Welcome \${message.id}\` });
}

@Controller('members')
export class WelcomeController {
  @Post(':id/welcome')
  async welcome(${parameters}) {
    await sendWelcome(${argument});
    return { ok: true };
  }
}
`,
    });
    const moved = controller("@Param('id') id: string, @Body() body: { email: string }", '{ to: body.email, id }');
    expect(planFirst(moved, 'no-blocking-request-work', `${ROOT}/src/welcome.controller.ts`).refused).toBeUndefined();
    expect(applyPlan(moved, movePlan(moved, 'no-blocking-request-work', `${ROOT}/src/welcome.controller.ts`))[`${ROOT}/src/welcome.controller.ts`]).toContain("    await enqueueJob('sendWelcome', [{ to: body.email, id }]);\n");
    const request = controller("@Param('id') id: string, @Req() req: { body: { email: string } }", '{ to: req.body.email, id, req }');
    expect(planFirst(request, 'no-blocking-request-work', `${ROOT}/src/welcome.controller.ts`).refused?.reason).toBe(
      "the job's argument `{ to: req.body.email, id, req }` (src/welcome.controller.ts:14) holds what the handler was given (`req`), which the queue cannot copy; pass the job the data it needs",
    );
  });

  it('refused in a Next.js API route, whose exports Next.js checks', () => {
    const files = {
      [`${ROOT}/pages/api/signup.js`]: `import nodemailer from 'nodemailer';
const transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });
async function sendWelcome(to) {
  await transport.sendMail({ to, subject: 'Welcome' });
}
export default async function handler(req, res) {
  await sendWelcome(req.body.email);
  res.status(201).json({ ok: true });
}
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/pages/api/signup.js`).refused?.reason).toBe('`sendWelcome` is not exported, and pages/api/signup.js is a Next.js page or route, whose exports Next.js checks');
  });
});

describe('planFixes: mail sent through a transport the service makes in another module', () => {
  // The analysis knows `await createTransportProvider()` hands back a nodemailer transport (it reads the
  // factory's module); the fix must read it the same way, or it cannot find the call it was asked to move.
  const files = {
    [`${ROOT}/src/mail/transport.ts`]: `import nodemailer from 'nodemailer';
export async function createTransportProvider() {
  return nodemailer.createTransport({ host: process.env.SMTP_HOST, port: 587 });
}
`,
    [`${ROOT}/src/mail/assigned.ts`]: `import { createTransportProvider } from './transport';
export async function sendAssignedEmail(email: string): Promise<void> {
  const mail = await createTransportProvider();
  await mail.sendMail({ to: email, subject: 'A ticket was assigned to you' });
}
`,
    [`${ROOT}/src/routes.ts`]: `import express from 'express';
import { sendAssignedEmail } from './mail/assigned';
export const router = express.Router();
router.post('/tickets/:id/assign', async (req, res) => {
  await sendAssignedEmail(String(req.body.email));
  res.status(204).end();
});
`,
  };

  it('TypeScript: the route enqueues the send, and the worker runs the same function', () => {
    const fixed = applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/mail/assigned.ts`));
    expect(fixed[`${ROOT}/src/mail/assigned.ts`]).toBe(files[`${ROOT}/src/mail/assigned.ts`]);
    expect(fixed[`${ROOT}/src/routes.ts`]).toBe(`import express from 'express';
import { enqueueJob } from './scaling/job-queue';
export const router = express.Router();
router.post('/tickets/:id/assign', async (req, res) => {
  await enqueueJob('sendAssignedEmail', [String(req.body.email)]);
  res.status(204).end();
});
`);
    expect(fixed[`${ROOT}/src/scaling/jobs.ts`]).toContain("import { sendAssignedEmail } from '../mail/assigned';\n");
  });
});
