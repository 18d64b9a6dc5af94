import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// The last result of a load, kept only to answer with while the load is skipped under high load
// (round 26 of test/real-world: an API's last stats rows), written here in a shape of our own, with
// the look-alike that another route also reads out.

afterAll(removeAnalysedProjects);

describe('the last result of a load, answered with only while the load is skipped', () => {
  const files = {
    'src/stats.ts': `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
let lastTotals = { users: 0, views: 0 };
let lastLeaders: string[] = [];

async function loadTotals(): Promise<{ users: number; views: number }> {
  if (pool.waitingCount > 20) return Promise.resolve(lastTotals);
  const result = await pool.query('SELECT count(*) AS users, sum(views) AS views FROM users');
  return result.rows[0];
}

async function loadLeaders(): Promise<string[]> {
  if (pool.waitingCount > 20) return lastLeaders;
  const result = await pool.query('SELECT name FROM users ORDER BY score DESC LIMIT 10');
  return result.rows.map((row: { name: string }) => row.name);
}

const app = express();
app.get('/totals', async (_req, res) => {
  const totals = await loadTotals();
  lastTotals = totals;
  res.json(totals);
});
app.get('/leaders', async (_req, res) => {
  const leaders = await loadLeaders();
  lastLeaders = leaders;
  res.json(leaders);
});
app.get('/leaders/last', (_req, res) => res.json(lastLeaders));
app.listen(3000);
`,
  };

  it('the fallback stays quiet; the copy another route reads out stays reported (untyped and typed)', () => {
    const result = untyped(files, 'src/stats.ts');
    expect(result).toEqual(typed(files, 'src/stats.ts'));
    expect(result).toEqual([
      '6:5 no-process-local-cache: `lastLeaders` caches shared data in this process; it is written by GET /leaders (src/stats.ts:26). When another instance changes that data, this copy stays stale until this process restarts.',
    ]);
  });
});
