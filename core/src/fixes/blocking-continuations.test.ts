import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan, planFirst } from '../testing/fix-plans';

// Sync work in a promise continuation or a Node-style callback: the callback becomes async where
// nothing waits for what it returns synchronously (`.then` waits for a promise; an error-first
// callback's result is ignored). Callbacks whose result is used synchronously stay refused.

describe('planFixes: the async twin inside a continuation', () => {
  it('Express, TypeScript: statSync in a .then callback makes that callback async; the chain and its .catch(next) stay', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import fs from 'node:fs';
import express from 'express';
export const app = express();
const markSent = (id: number): Promise<void> => Promise.resolve(void id);
app.post('/invoices/:id/send', (req, res, next) => {
  const id = Number(req.params.id);
  markSent(id)
    .then(() => {
      res.json({ id, bytes: fs.statSync(\`invoices/\${id}.pdf\`).size });
    })
    .catch(next);
});
`,
    };
    expect(applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`]).toBe(`import fs from 'node:fs';
import express from 'express';
export const app = express();
const markSent = (id: number): Promise<void> => Promise.resolve(void id);
app.post('/invoices/:id/send', (req, res, next) => {
  const id = Number(req.params.id);
  markSent(id)
    .then(async () => {
      res.json({ id, bytes: (await fs.promises.stat(\`invoices/\${id}.pdf\`)).size });
    })
    .catch(next);
});
`);
  });

  it('TypeScript: a function that already returns a promise becomes async, and its callers keep their .then', () => {
    const files = {
      [`${ROOT}/src/auth.ts`]: `import crypto from 'node:crypto';
const query = (sql: string, values: unknown[]): Promise<{ rows: { id: number }[] }> => Promise.resolve({ rows: [{ id: values.length }] });
function hashPassword(password: string, salt: string): string {
  return crypto.scryptSync(password, salt, 64).toString('hex');
}
export function register(email: string, password: string): Promise<{ id: number }> {
  const salt = crypto.randomBytes(16).toString('hex');
  const hash = hashPassword(password, salt);
  return query('INSERT INTO users (email, hash) VALUES ($1, $2) RETURNING id', [email, hash]).then((result) => result.rows[0]);
}
`,
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import { register } from './auth';
export const app = express();
app.post('/register', (req, res, next) => {
  register(req.body.email, req.body.password)
    .then((user) => res.status(201).json(user))
    .catch(next);
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/auth.ts`));
    expect(fixed[`${ROOT}/src/auth.ts`]).toBe(`import crypto from 'node:crypto';
const query = (sql: string, values: unknown[]): Promise<{ rows: { id: number }[] }> => Promise.resolve({ rows: [{ id: values.length }] });
async function hashPassword(password: string, salt: string): Promise<string> {
  return (await new Promise<Buffer>((resolve, reject) => crypto.scrypt(password, salt, 64, (error, result) => (error ? reject(error) : resolve(result))))).toString('hex');
}
export async function register(email: string, password: string): Promise<{ id: number }> {
  const salt = crypto.randomBytes(16).toString('hex');
  const hash = await hashPassword(password, salt);
  return query('INSERT INTO users (email, hash) VALUES ($1, $2) RETURNING id', [email, hash]).then((result) => result.rows[0]);
}
`);
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(files[`${ROOT}/src/app.ts`]);
  });

  it('Express, CommonJS: compareSync in an error-first db.query callback makes that callback async', () => {
    const files = {
      [`${ROOT}/routes/auth.js`]: `var express = require('express');
var bcrypt = require('bcryptjs');
var db = require('../db');
var router = express.Router();
router.post('/login', function (req, res, next) {
  db.query('SELECT password_hash FROM members WHERE email = $1', [req.body.email], function (err, result) {
    if (err) return next(err);
    var row = result.rows[0];
    if (!row || !bcrypt.compareSync(req.body.password, row.password_hash)) return res.status(401).end();
    res.json({ ok: true });
  });
});
module.exports = router;
`,
      [`${ROOT}/db.js`]: `exports.query = function (sql, values, callback) { callback(null, { rows: [] }); };\n`,
    };
    expect(applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/routes/auth.js`))[`${ROOT}/routes/auth.js`]).toBe(`var express = require('express');
var bcrypt = require('bcryptjs');
var db = require('../db');
var router = express.Router();
router.post('/login', function (req, res, next) {
  db.query('SELECT password_hash FROM members WHERE email = $1', [req.body.email], async function (err, result) {
    if (err) return next(err);
    var row = result.rows[0];
    if (!row || !(await bcrypt.compare(req.body.password, row.password_hash))) return res.status(401).end();
    res.json({ ok: true });
  });
});
module.exports = router;
`);
  });

  it('a callback whose first parameter is not an error (an event listener) stays refused', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
const zlib = require('zlib');
const app = express();
app.post('/upload', (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', (data) => {
    res.send(zlib.gzipSync(Buffer.concat(chunks)));
  });
});
module.exports = app;
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/app.js`).refused).toEqual({
      title: 'Take the work off the request',
      reason: 'the function is called by `req.on`, which does not wait for a promise (src/app.js:7)',
    });
  });

  it('a .then on an object that is not a promise (no catch) stays refused', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import fs from 'node:fs';
import express from 'express';
export const app = express();
const steps = { then(run: () => void) { run(); } };
app.get('/size', (req, res) => {
  steps.then(() => {
    res.json({ bytes: fs.statSync('data.json').size });
  });
});
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/app.ts`).refused).toEqual({
      title: 'Take the work off the request',
      reason: 'the function is called by `steps.then`, which does not wait for a promise (src/app.ts:6)',
    });
  });
});

describe('planFixes: the async twin inside array.map', () => {
  it('Koa, ESM: readFileSync mapped over an array becomes await Promise.all(array.map(async …)), in order', () => {
    const files = {
      [`${ROOT}/src/archive.js`]: `import fs from 'node:fs';
import path from 'node:path';
export function buildArchive(photos) {
  const files = photos.map((p) => fs.readFileSync(path.join('uploads', p.file)));
  return Buffer.concat(files);
}
`,
      [`${ROOT}/src/app.js`]: `import Koa from 'koa';
import { buildArchive } from './archive.js';
export const app = new Koa();
app.use((ctx) => {
  ctx.body = buildArchive(ctx.state.photos);
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/archive.js`));
    expect(fixed[`${ROOT}/src/archive.js`]).toBe(`import fs from 'node:fs';
import path from 'node:path';
export async function buildArchive(photos) {
  const files = await Promise.all(photos.map(async (p) => await fs.promises.readFile(path.join('uploads', p.file))));
  return Buffer.concat(files);
}
`);
    expect(fixed[`${ROOT}/src/app.js`]).toBe(`import Koa from 'koa';
import { buildArchive } from './archive.js';
export const app = new Koa();
app.use(async (ctx) => {
  ctx.body = await buildArchive(ctx.state.photos);
});
`);
  });

  it('Express, TypeScript: a mapped result used at once is parenthesized: (await Promise.all(…)).join()', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import fs from 'node:fs';
import express from 'express';
export const app = express();
app.get('/notes', (req, res) => {
  const names: string[] = ['a.txt', 'b.txt'];
  res.send(names.map((name) => {
    const file = \`notes/\${name}\`;
    return fs.readFileSync(file, 'utf8');
  }).join('\\n'));
});
`,
    };
    expect(applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`]).toBe(`import fs from 'node:fs';
import express from 'express';
export const app = express();
app.get('/notes', async (req, res) => {
  const names: string[] = ['a.txt', 'b.txt'];
  res.send((await Promise.all(names.map(async (name) => {
    const file = \`notes/\${name}\`;
    return await fs.promises.readFile(file, 'utf8');
  }))).join('\\n'));
});
`);
  });

  it('a map callback with a statement another element could see (a running total) stays refused', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import fs from 'node:fs';
import express from 'express';
export const app = express();
app.get('/sizes', (req, res) => {
  let total = 0;
  const sizes = ['a', 'b'].map((name) => {
    total += fs.statSync(name).size;
    return total;
  });
  res.json({ sizes });
});
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/app.ts`).refused).toEqual({
      title: 'Take the work off the request',
      reason: "the function is a callback of `['a', 'b'].map` that must stay synchronous (src/app.ts:6)",
    });
  });
});

describe('planFixes: callbacks whose first parameter only looks like an error', () => {
  it('an error listener (emitter.on) stays refused', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
const fs = require('fs');
const app = express();
app.post('/upload', (req, res) => {
  req.on('error', (err) => {
    fs.appendFileSync('errors.log', String(err));
    res.status(400).end();
  });
  req.pipe(res);
});
module.exports = app;
`,
    };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/app.js`).refused).toEqual({
      title: 'Take the work off the request',
      reason: 'the function is called by `req.on`, which does not wait for a promise (src/app.js:5)',
    });
  });

  it('forEach over errors is a loop over the elements, not an error-first callback: the loop awaits each write', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import fs from 'node:fs';
import express from 'express';
export const app = express();
app.post('/report', (req, res) => {
  const errors: string[] = req.body.errors;
  errors.forEach((err) => {
    fs.appendFileSync('errors.log', err);
  });
  res.end();
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/app.ts`));
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import fs from 'node:fs';
import express from 'express';
export const app = express();
app.post('/report', async (req, res) => {
  const errors: string[] = req.body.errors;
  for (const err of errors) {
    await fs.promises.appendFile('errors.log', err);
  }
  res.end();
});
`);
  });
});
