import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// Routers a factory function makes and returns, under a name that says nothing (`function createSlackRoute() {
// const slack = new Hono(); slack.post('/events', verify, handleSlackEvent); return slack }`, mounted with
// `app.route('/slack', createSlackRoute())`; round 35 of test/real-world: a status page's Slack agent). The local
// is made by the server framework, as a module-scope router is, so its verb calls register routes whatever the
// handler is called. Look-alikes that stay quiet: an HTTP client a factory makes (`got.extend()`), whose `post`
// sends a request, and the same shapes in a script.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-counter'] as const;

const files = {
  'src/slack.ts': `import { Hono } from 'hono';
import type { Context, Next } from 'hono';

const seen: Record<string, number> = {};

async function verifySignature(c: Context, next: Next) {
  if (!c.req.header('x-signature')) return c.text('no', 401);
  await next();
}

async function handleSlackEvent(c: Context) {
  const body = await c.req.json();
  seen[body.team_id] = (seen[body.team_id] ?? 0) + 1;
  return c.json({ ok: true });
}

export function createSlackRoute() {
  const slack = new Hono();
  slack.post('/events', verifySignature, handleSlackEvent);
  return slack;
}
`,
  'src/users.js': `const express = require('express')

const logins = {}

function login(req, res) {
  logins[req.body.user] = (logins[req.body.user] || 0) + 1
  res.json({ ok: true })
}

module.exports = function usersRoutes() {
  const r = express.Router()
  r.post('/login', login)
  return r
}
`,
  'src/notify.ts': `import got from 'got';

const sent: Record<string, number> = {};

function onEvent(response: { url: string }) {
  sent[response.url] = (sent[response.url] ?? 0) + 1;
}

export function notifier(prefixUrl: string) {
  const r = got.extend({ prefixUrl });
  r.post('/events', onEvent);
  return r;
}
`,
  'src/index.ts': `import { Hono } from 'hono';
import { createSlackRoute } from './slack';
import { notifier } from './notify';

export const app = new Hono();
app.route('/slack', createSlackRoute());
notifier('https://hooks.example.com');
export default app;
`,
  'src/server.js': `const express = require('express')
const usersRoutes = require('./users')

const app = express()
app.use('/users', usersRoutes())
app.listen(3000)
`,
};

describe('routers a factory makes under a name of its own', () => {
  it('untyped: the Hono sub-app and the Express router made in factories register their routes; an HTTP client a factory makes does not', () => {
    expect(untypedFindings(files, 'src/slack.ts', [...RULES])).toEqual([
      '4:7 no-in-memory-counter: `seen` counts in this process; it is changed by POST /events (src/slack.ts:19). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ]);
    expect(untypedFindings(files, 'src/users.js', [...RULES])).toEqual([
      '3:7 no-in-memory-counter: `logins` counts in this process; it is changed by POST /login (src/users.js:12). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ]);
    expect(untypedFindings(files, 'src/notify.ts', [...RULES])).toEqual([]);
  });

  it('typed: the same', () => {
    expect(typedFindings(files, 'src/slack.ts', [...RULES])).toEqual([
      '4:7 no-in-memory-counter: `seen` counts in this process; it is changed by POST /events (src/slack.ts:19). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ]);
    expect(typedFindings(files, 'src/users.js', [...RULES])).toEqual([
      '3:7 no-in-memory-counter: `logins` counts in this process; it is changed by POST /login (src/users.js:12). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ]);
    expect(typedFindings(files, 'src/notify.ts', [...RULES])).toEqual([]);
  });
});
