import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// A single value requests replace whole: a maintenance switch an admin flips, the current
// announcement, settings saved from a form. Each instance keeps the value its own requests set.

const ADMIN_JS = `const express = require('express');
const app = express();
app.use(express.json());

let maintenance = false;

app.use((req, res, next) => {
  if (maintenance && !req.path.startsWith('/admin')) return res.status(503).json({ error: 'down for maintenance' });
  next();
});
app.post('/admin/maintenance', (req, res) => {
  maintenance = Boolean(req.body.on);
  res.json({ maintenance });
});
app.get('/health', (req, res) => res.json({ ok: true }));
app.listen(3000);
`;

const BANNER_TS = `import { Router } from 'express';

export interface Banner {
  text: string;
  level: 'info' | 'warning';
}

let banner: Banner | null = null;

export const banners = Router();

banners.put('/banner', (req, res) => {
  banner = { text: String(req.body.text), level: req.body.level === 'warning' ? 'warning' : 'info' };
  res.status(204).end();
});
banners.delete('/banner', (req, res) => {
  banner = null;
  res.status(204).end();
});
banners.get('/banner', (req, res) => {
  res.json(banner ?? { text: '', level: 'info' });
});
`;

describe('planFixes: a value requests replace moves to a shared Redis value', () => {
  it('JavaScript: the switch reads what was last set on any instance; the middleware and handlers become async', () => {
    const files = { [`${ROOT}/server.js`]: ADMIN_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/server.js`));
    expect(fixed[`${ROOT}/server.js`]).toBe(`const express = require('express');
const { createValue } = require('./src/scaling/value');
const app = express();
app.use(express.json());

const maintenance = createValue('maintenance', false);

app.use(async (req, res, next) => {
  if (await maintenance.get() && !req.path.startsWith('/admin')) return res.status(503).json({ error: 'down for maintenance' });
  next();
});
app.post('/admin/maintenance', async (req, res) => {
  await maintenance.set(Boolean(req.body.on));
  res.json({ maintenance: await maintenance.get() });
});
app.get('/health', (req, res) => res.json({ ok: true }));
app.listen(3000);
`);
    expect(countFindings(fixed, 'no-in-memory-session')).toBe(0);
  });

  it('a negation or a typeof of the value reads it like any other read', () => {
    const code = ADMIN_JS.replace("if (maintenance && !req.path.startsWith('/admin'))", "if (!maintenance || typeof maintenance !== 'boolean') return next();\n  if (!req.path.startsWith('/admin'))");
    const files = { [`${ROOT}/server.js`]: code };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/server.js`))[`${ROOT}/server.js`];
    expect(fixed.split('\n').filter((line) => line.includes('maintenance.get()'))).toEqual([
      "  if (!(await maintenance.get()) || typeof await maintenance.get() !== 'boolean') return next();",
      '  res.json({ maintenance: await maintenance.get() });',
    ]);
  });

  it('TypeScript: the declared type is the value\'s type, `null` included', () => {
    const files = { [`${ROOT}/src/banners.ts`]: BANNER_TS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-session', `${ROOT}/src/banners.ts`));
    expect(fixed[`${ROOT}/src/banners.ts`]).toBe(`import { Router } from 'express';
import { createValue } from './scaling/value';

export interface Banner {
  text: string;
  level: 'info' | 'warning';
}

const banner = createValue<Banner | null>('banner', null);

export const banners = Router();

banners.put('/banner', async (req, res) => {
  await banner.set({ text: String(req.body.text), level: req.body.level === 'warning' ? 'warning' : 'info' });
  res.status(204).end();
});
banners.delete('/banner', async (req, res) => {
  await banner.set(null);
  res.status(204).end();
});
banners.get('/banner', async (req, res) => {
  res.json(await banner.get() ?? { text: '', level: 'info' });
});
`);
  });
});

describe('planFixes: values the shared value cannot keep are refused with the reason', () => {
  const refusal = (code: string, fileName = `${ROOT}/server.js`): string | undefined => planFirst({ [fileName]: code }, 'no-in-memory-session', fileName).refused?.reason;

  it('a change inside the value, and a CommonJS export that copies it once', () => {
    expect(refusal(ADMIN_JS.replace('let maintenance = false;', 'let settings = null;').replace(/maintenance/g, 'settings').replace('settings = Boolean(req.body.on);', 'settings = req.body;\n  settings.savedAt = Date.now();'))).toBe(
      '`settings.savedAt = Date.now()` (server.js:13) changes the value in place, and Redis would not keep the change',
    );
    expect(refusal(`${ADMIN_JS}module.exports = { maintenance };\n`)).toBe('`module.exports = { maintenance }` (server.js:17) exports a copy of `maintenance` made when the module loads, which the fix cannot keep up to date');
  });

  it('values that are not plain data', () => {
    expect(refusal(ADMIN_JS.replace('maintenance = Boolean(req.body.on);', 'maintenance = new Date(req.body.until);'))).toBe(
      '`new Date(req.body.until)` (server.js:12) is not plain data, and Redis would store it as JSON and give back something else',
    );
    expect(refusal(BANNER_TS.replace('let banner: Banner | null = null;', 'let banner: { text: string; since: Date } | null = null;').replace("level: req.body.level === 'warning' ? 'warning' : 'info' }", 'since: new Date() }').replace("{ text: '', level: 'info' }", "{ text: '' }"), `${ROOT}/src/banners.ts`)).toBe(
      '`banner` holds Date values, which Redis would store as JSON and give back changed',
    );
  });
});
