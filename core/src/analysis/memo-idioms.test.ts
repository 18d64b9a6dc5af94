import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Idiom classes behind false positives of no-process-local-cache read in the corpus (round 26 of
// test/real-world), written here in other shapes: memo helpers whose entries expire or only coalesce
// concurrent reads, next to look-alikes that stay reported.

afterAll(removeAnalysedProjects);

const RULES = ['no-process-local-cache', 'no-in-memory-session', 'no-in-process-lock'] as const;

describe('a hit check against the clock held in a local, with a duration from a setting', () => {
  const prices = (check: string) => ({
    'prices.ts': `import express from 'express';
import { db } from './db';

const app = express();
const maxAgeMs = Number(process.env.PRICE_TTL_MS);
const prices = new Map<string, { value: number; storedAt: number }>();

async function priceOf(symbol: string) {
  const now = Date.now();
  const hit = prices.get(symbol);
  ${check}
  const value = await db.price(symbol);
  prices.set(symbol, { value, storedAt: now });
  return value;
}

app.get('/prices/:symbol', async (req, res) => {
  res.json(await priceOf(req.params.symbol));
});
`,
    'db.ts': 'export const db = { async price(symbol: string) { return symbol.length; } };\n',
  });

  it('the entry expires after the configured age: a stated TTL (untyped and typed)', () => {
    const files = prices('if (hit && hit.storedAt + maxAgeMs > now) return hit.value;');
    expect(untyped(files, 'prices.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'prices.ts', [...RULES])).toEqual([]);
  });

  it('stays reported: a hit served whatever its age (untyped and typed)', () => {
    const files = prices('if (hit) return hit.value;');
    const expected = [
      '6:7 no-process-local-cache: `prices` caches shared data in this process; it is written by GET /prices/:symbol (prices.ts:17). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'prices.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'prices.ts', [...RULES])).toEqual(expected);
  });
});

describe('a memo factory whose hit check compares the clock with a duration it is handed', () => {
  const memo = (check: string) => `export function memoize(load: (...args: any[]) => Promise<unknown>, maxAgeMs: number) {
  const entries = new Map();
  return (...args: string[]): Promise<unknown> => {
    const key = args.join(':');
    const now = Date.now();
${check}
    return Promise.resolve(load(...args)).then((value) => {
      entries.set(key, { value, storedAt: Date.now() });
      return value;
    });
  };
}
`;
  const app = `import express from 'express';
import { db } from './db';
import { memoize } from './memo';

const app = express();
const leaderboard = memoize(topPlayers, Number(process.env.LEADERBOARD_TTL_MS));

async function topPlayers(season: string) {
  return db.topPlayers(season);
}

app.get('/leaderboard/:season', async (req, res) => {
  res.json(await leaderboard(req.params.season));
});
`;
  const db = 'export const db = { async topPlayers(season: string) { return [season]; } };\n';

  it('a TTL handed to the factory as a parameter: entries expire, a stated TTL (untyped and typed)', () => {
    const files = { 'memo.ts': memo('    const hit = entries.get(key);\n    if (hit && Date.now() - hit.storedAt < maxAgeMs) return Promise.resolve(hit.value);'), 'app.ts': app, 'db.ts': db };
    expect(untyped(files, 'memo.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'memo.ts', [...RULES])).toEqual([]);
  });

  it('stays reported: the same memo whose hit check never looks at the clock (untyped; typed, the call through the returned closure is not followed)', () => {
    const files = { 'memo.ts': memo('    const hit = entries.get(key);\n    if (hit) return Promise.resolve(hit.value);'), 'app.ts': app, 'db.ts': db };
    expect(untyped(files, 'memo.ts', [...RULES])).toEqual([
      '2:9 no-process-local-cache: `entries` caches shared data in this process; it is written by GET /leaderboard/:season (app.ts:12). When another instance changes that data, this copy stays stale until this process restarts.',
    ]);
  });

  it('a duration parameter with a default is read as that number: a short one is accepted, a day that a route also drops early is reported (untyped)', () => {
    const withDefault = (ttl: string) => ({
      'quotes.ts': `import express from 'express';
import { db } from './db';

const app = express();
const quotes = new Map<string, { rows: string[]; at: number }>();

async function quotesFor(symbol: string, maxAge = ${ttl}) {
  const now = Date.now();
  const hit = quotes.get(symbol);
  if (hit && now - hit.at < maxAge) return hit.rows;
  const rows = await db.topPlayers(symbol);
  quotes.set(symbol, { rows, at: now });
  return rows;
}

app.get('/quotes/:symbol', async (req, res) => {
  res.json(await quotesFor(req.params.symbol));
});
app.post('/quotes/:symbol/refresh', (req, res) => {
  quotes.delete(req.params.symbol);
  res.end();
});
`,
      'db.ts': db,
    });
    expect(untyped(withDefault('30 * 1000'), 'quotes.ts', [...RULES])).toEqual([]);
    expect(untyped(withDefault('24 * 60 * 60 * 1000'), 'quotes.ts', [...RULES])).toEqual([
      '5:7 no-process-local-cache: `quotes` caches shared data in this process; it is written by GET /quotes/:symbol (quotes.ts:16) and 1 other route. When another instance changes that data, this copy stays stale for up to 1 day (its TTL).',
    ]);
  });
});

describe('in-flight loads coalesced through `??`: the entry is read for the key, or the load started in its place', () => {
  const stats = (work: string, release: string) => ({
    'stats.ts': `import express from 'express';
import { db } from './db';

const app = express();
const loading: Record<string, Promise<number>> = {};

async function statsFor(team: string) {
  const load = () => ${work};
  const running = loading[team] ?? load();
  loading[team] = running;
  try {
    const stats = await running;
${release}
    return stats;
  } catch (error) {
    throw new Error(\`stats of \${team}: \${String(error)}\`);
  }
}

app.get('/teams/:team/stats', async (req, res) => {
  res.json(await statsFor(req.params.team));
});
`,
    'db.ts': 'export const db = { async teamStats(team: string) { return team.length; }, async chargeTeam(team: string) { return team.length; } };\n',
  });

  it('a read shared by concurrent callers and dropped when it settles: single-flight, no rule (untyped and typed)', () => {
    const files = stats('db.teamStats(team)', '    delete loading[team];');
    expect(untyped(files, 'stats.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'stats.ts', [...RULES])).toEqual([]);
  });

  it('stays reported: the entry kept after it settles is a cache of the loaded stats (untyped and typed)', () => {
    const files = stats('db.teamStats(team)', '');
    const expected = [
      '5:7 no-process-local-cache: `loading` caches shared data in this process; it is written by GET /teams/:team/stats (stats.ts:20). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'stats.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'stats.ts', [...RULES])).toEqual(expected);
  });

  it('stays reported: coalescing work that writes (a charge) is mutual exclusion in this process only (untyped and typed)', () => {
    const files = stats('db.chargeTeam(team)', '    delete loading[team];');
    const expected = [
      '5:7 no-in-process-lock: `loading` guards work only within this process; it is taken by GET /teams/:team/stats (stats.ts:20). A request on another instance does not see it and runs the same work at the same time.',
    ];
    expect(untyped(files, 'stats.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'stats.ts', [...RULES])).toEqual(expected);
  });

  it('stays reported: a fresh container made in place of a missing entry (`|| new Set()`) and dropped when empty is no in-flight load (untyped and typed)', () => {
    const files = {
      'watch.ts': `import express from 'express';

const app = express();
const watchers: Record<string, Set<string>> = {};

app.post('/boards/:board/watch', (req, res) => {
  const board = req.params.board;
  const current = watchers[board] || new Set<string>();
  watchers[board] = current;
  if (req.body.stop) current.delete(String(req.body.user));
  else current.add(String(req.body.user));
  if (current.size === 0) delete watchers[board];
  res.end();
});
`,
    };
    const expected = [
      '4:7 no-in-memory-session: `watchers` holds application data in this process; it is written by POST /boards/:board/watch (watch.ts:6). A second instance will not see it.',
    ];
    expect(untyped(files, 'watch.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'watch.ts', [...RULES])).toEqual(expected);
  });
});

describe('a stamp that throttles this process’s own refresh', () => {
  const about = (body: string) => ({
    'about.ts': `import express from 'express';
import axios from 'axios';
import { mailer } from './mailer';

const app = express();
let releaseNotes = '';
let lastCountCheck = 0;

function updateReleaseNotes() {
${body}
}

app.get('/about', (req, res) => {
  const now = Date.now();
  if (now - lastCountCheck > 6 * 60 * 60 * 1000) {
    lastCountCheck = now;
    updateReleaseNotes();
  }
  res.json({ releaseNotes });
});
`,
    'mailer.ts': 'export const mailer = { async sendMail(message: object) { return message; } };\n',
  });

  it('the throttled function only fetches into this module’s own binding: neither a lock nor a count, one load per instance (untyped and typed)', () => {
    const files = about("  axios.get('https://releases.example.test/latest').then((response) => { releaseNotes = String(response.data); }).catch(() => undefined);");
    expect(untyped(files, 'about.ts', [...RULES, 'no-in-memory-counter'])).toEqual([]);
    expect(typed(files, 'about.ts', [...RULES, 'no-in-memory-counter'])).toEqual([]);
  });

  it('stays reported: the throttled function sends mail, N instances send N mails per period (untyped and typed)', () => {
    const files = about("  void mailer.sendMail({ subject: 'about page viewed' });");
    const expected = [
      '7:5 no-in-process-lock: `lastCountCheck` guards work only within this process; it is taken by GET /about (about.ts:13). A request on another instance does not see it and runs the same work at the same time.',
    ];
    expect(untyped(files, 'about.ts', [...RULES, 'no-in-memory-counter'])).toEqual(expected);
    expect(typed(files, 'about.ts', [...RULES, 'no-in-memory-counter'])).toEqual(expected);
  });
});
