import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, planFirst } from '../testing/fix-plans';

// Two plain pg pools, one per server: real services export them from one module and import both
// where the handlers are. The read after a write moves to the pool the same flow wrote with.

const DB_TS = `import { Pool } from 'pg';
export const primaryPool = new Pool({ connectionString: process.env.DATABASE_URL });
export const replicaPool = new Pool({ connectionString: process.env.REPLICA_URL });
`;

const ROUTES_TS = `import express from 'express';
import { primaryPool, replicaPool } from './db';
export const app = express();
app.post('/comments', async (req, res) => {
  await primaryPool.query('INSERT INTO comments (body) VALUES ($1)', [req.body.body]);
  const { rows } = await replicaPool.query('SELECT * FROM comments ORDER BY id DESC LIMIT 10');
  res.status(201).json(rows);
});
app.get('/comments', async (req, res) => {
  const { rows } = await replicaPool.query('SELECT * FROM comments');
  res.json(rows);
});
`;

const DB_JS = `const { Pool } = require('pg');
exports.primaryPool = new Pool({ connectionString: process.env.DATABASE_URL });
exports.replicaPool = new Pool({ connectionString: process.env.REPLICA_URL });
`;

const ROUTES_JS = `const express = require('express');
const { primaryPool, replicaPool } = require('./db');
const app = express();
app.post('/comments', function (req, res, next) {
  primaryPool.query('INSERT INTO comments (body) VALUES ($1)', [req.body.body])
    .then(() => replicaPool.query('SELECT * FROM comments ORDER BY id DESC LIMIT 10'))
    .then((result) => res.status(201).json(result.rows), next);
});
module.exports = app;
`;

describe('planFixes: a read after a write on two pg pools reads from the pool that wrote', () => {
  it('TypeScript: pools imported from a db module', () => {
    const files = { [`${ROOT}/src/db.ts`]: DB_TS, [`${ROOT}/src/routes.ts`]: ROUTES_TS };
    const planned = planFirst(files, 'no-replica-read-after-write', `${ROOT}/src/routes.ts`);
    expect(planned.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `primaryPool`']);
    const fixed = applyPlan(files, planned.plans[0]);
    expect(fixed[`${ROOT}/src/routes.ts`]).toBe(ROUTES_TS.replace("const { rows } = await replicaPool.query('SELECT * FROM comments ORDER BY", "const { rows } = await primaryPool.query('SELECT * FROM comments ORDER BY"));
    // The GET route reads without a write before it: it stays on the replica, and nothing is left to fix.
    expect(countFindings(fixed, 'no-replica-read-after-write')).toBe(0);
  });

  it('CommonJS: pools from require(), a promise chain', () => {
    const files = { [`${ROOT}/src/db.js`]: DB_JS, [`${ROOT}/src/routes.js`]: ROUTES_JS };
    const planned = planFirst(files, 'no-replica-read-after-write', `${ROOT}/src/routes.js`);
    expect(planned.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `primaryPool`']);
    const fixed = applyPlan(files, planned.plans[0]);
    expect(fixed[`${ROOT}/src/routes.js`]).toBe(ROUTES_JS.replace('.then(() => replicaPool.query(', '.then(() => primaryPool.query('));
    expect(countFindings(fixed, 'no-replica-read-after-write')).toBe(0);
  });
});
