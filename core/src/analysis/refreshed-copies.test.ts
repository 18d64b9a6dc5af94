import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A module's copy of outside data refreshed when the module loads and again once per period, behind
// a clock stamp a request checks (round 26 of test/real-world: public add-on store counts refreshed
// every few hours), written here in a shape of our own. Look-alike: a copy of the service's own
// pricing, refreshed the same way, which a route also edits in this process only.

afterAll(removeAnalysedProjects);

describe('a copy refreshed once per period behind a clock stamp', () => {
  const files = {
    'src/db.ts': `import { Pool } from 'pg';

export const pool = new Pool();
`,
    'src/stores.ts': `import axios from 'axios';

export async function fetchInstalls(addonId: string): Promise<number> {
  const res = await axios.get('https://addons.example.org/api/addon/' + addonId);
  return res.data.installs;
}
`,
    'src/stats.ts': `import { pool } from './db';
import { fetchInstalls } from './stores';

let storeInstalls = 0;
let lastStoreCheck = 0;
const STORE_REFRESH_MS = 6 * 60 * 60 * 1000;

function refreshStoreInstalls() {
  fetchInstalls('ours').then((count) => {
    storeInstalls = count;
  });
}

refreshStoreInstalls();

export function installs(): number {
  const now = Date.now();
  if (now - lastStoreCheck > STORE_REFRESH_MS) {
    lastStoreCheck = now;
    refreshStoreInstalls();
  }
  return storeInstalls;
}

let pricing: { plan: string; cents: number }[] = [];
let lastPricingCheck = 0;

function reloadPricing() {
  pool.query('SELECT plan, cents FROM pricing').then((result) => {
    pricing = result.rows;
  });
}

reloadPricing();

export function prices() {
  if (Date.now() - lastPricingCheck > 600000) {
    lastPricingCheck = Date.now();
    reloadPricing();
  }
  return pricing;
}

export async function setPrice(plan: string, cents: number) {
  await pool.query('UPDATE pricing SET cents = $1 WHERE plan = $2', [cents, plan]);
  pricing = pricing.map((row) => (row.plan === plan ? { plan, cents } : row));
}
`,
    'src/server.ts': `import express from 'express';
import { installs, prices, setPrice } from './stats';

const app = express();
app.get('/stats', (_req, res) => res.json({ installs: installs() }));
app.get('/prices', (_req, res) => res.json(prices()));
app.put('/prices/:plan', async (req, res) => {
  await setPrice(req.params.plan, Number(req.body.cents));
  res.sendStatus(204);
});
app.listen(3000);
`,
  };

  it('the outside copy refreshed once per period stays quiet; the pricing a route edits here only stays reported (untyped and typed)', () => {
    const result = untyped(files, 'src/stats.ts');
    expect(result).toEqual(typed(files, 'src/stats.ts'));
    expect(result).toEqual([
      '25:5 no-process-local-cache: `pricing` caches shared data in this process; it is written by GET /prices (src/server.ts:6) and 1 other route. When another instance changes that data, this copy stays stale until this process restarts.',
    ]);
  });
});
