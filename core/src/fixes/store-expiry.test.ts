import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan } from '../testing/fix-plans';

// What moves to the Redis session store keeps the lifetime it had. A user's entries expire after
// SESSION_TTL_SECONDS with no write, as sessions do; the application's own records (a page's view
// count) never expired in the Map, and a page nobody viewed for a day must not lose its count.

const SERVER = `import express from 'express';

interface Attempt {
  count: number;
  lockedUntil: number;
}

const attempts = new Map<string, Attempt>();
const views: Record<string, { hits: number; last: string }> = {};

const app = express();
app.use(express.json());

app.post('/login', (req, res) => {
  const email = String(req.body.email);
  if (!attempts.has(email)) attempts.set(email, { count: 0, lockedUntil: 0 });
  const attempt = attempts.get(email)!;
  if (attempt.lockedUntil > Date.now()) {
    res.status(429).json({ error: 'locked' });
    return;
  }
  attempt.count++;
  res.status(401).json({ left: 5 - attempt.count });
});

app.get('/pages/:slug', (req, res) => {
  const entry = views[req.params.slug] ?? { hits: 0, last: '' };
  entry.hits += 1;
  entry.last = new Date().toISOString();
  views[req.params.slug] = entry;
  res.json(entry);
});

app.listen(3000);
`;

const files = { [`${ROOT}/src/server.ts`]: SERVER };

describe('planFixes: how long moved records live in the Redis store', () => {
  it("the application's records never expire, and the plan says so", () => {
    const plan = movePlan(files, 'no-in-memory-session', `${ROOT}/src/server.ts`);
    expect(applyPlan(files, plan)[`${ROOT}/src/server.ts`]).toContain(`const views = createSessionStore<{ hits: number; last: string }>('views', { ttlSeconds: 0 });`);
    expect(plan.notes).toContain("`views` holds the application's records, not a user's: they never expire in Redis, as nothing expired them in this process");
  });

  it("a user's records expire as sessions do, and a non-null assertion applies to the awaited value", () => {
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/server.ts`);
    const fixed = applyPlan(files, plan)[`${ROOT}/src/server.ts`];
    expect(fixed).toContain(`const attempts = createSessionStore<Attempt>('attempts');\n`);
    expect(fixed).toContain(`  if (!(await attempts.has(email))) await attempts.set(email, { count: 0, lockedUntil: 0 });
  const attempt = (await attempts.get(email))!;
`);
    expect(plan.notes ?? []).not.toContainEqual(expect.stringContaining('never expire'));
  });
});
