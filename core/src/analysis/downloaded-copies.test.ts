import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A service refreshes the exchange rates it serves every hour: it downloads the document, keeps it in
// memory and stores the same copy under one settings key, so a restart can serve it before the next
// download. N instances store the same copy N times: what one would leave. Adding the rows it downloaded
// (no key) writes them N times.

afterAll(removeAnalysedProjects);

function project(store: string): Record<string, string> {
  return {
    'src/settings.ts': `import { pool } from './db';

export async function saveSetting(name: string, value: string): Promise<void> {
  await pool.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = $2', [name, value]);
}

export async function addRates(rows: unknown[]): Promise<void> {
  await pool.query('INSERT INTO rate_history (rows) VALUES ($1)', [JSON.stringify(rows)]);
}
`,
    'src/db.ts': `import { Pool } from 'pg';
export const pool = new Pool();
`,
    'src/rates.ts': `import axios from 'axios';
import * as settings from './settings';

const RATES_SETTING = 'exchange-rates';
export let current: unknown;

export async function refreshRates(): Promise<void> {
  const { data } = await axios.get('https://rates.example.com/latest.json');
  current = data;
  ${store}
}
`,
    'src/server.ts': `import express from 'express';
import { refreshRates, current } from './rates';

const app = express();
app.get('/rates', (req, res) => res.json(current));
setInterval(() => void refreshRates(), 60 * 60 * 1000);
app.listen(3000);
`,
  };
}

describe('a timer that refreshes a downloaded document and stores the copy', () => {
  it('quiet: the copy stored under one fixed key (untyped and typed)', () => {
    const files = project("await settings.saveSetting(RATES_SETTING, JSON.stringify({ fetchedAt: Date.now(), rates: data }));");
    expect(untyped(files, 'src/server.ts', ['no-in-process-scheduler'])).toEqual([]);
    expect(typed(files, 'src/server.ts', ['no-in-process-scheduler'])).toEqual([]);
  });

  it('reported: the rows it downloaded added to a table, with no key', () => {
    const files = project('await settings.addRates(data.rows);');
    const expected = [
      '6:1 no-in-process-scheduler: `setInterval` runs in every instance of the web process: `refreshRates()` writes to the database (`pool.query`) every hour. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'src/server.ts', ['no-in-process-scheduler'])).toEqual(expected);
    expect(typed(files, 'src/server.ts', ['no-in-process-scheduler'])).toEqual(expected);
  });

  it('reported: a fixed key given a value computed here, not the download', () => {
    const files = project("await settings.saveSetting(RATES_SETTING, String(Date.now()));");
    expect(untyped(files, 'src/server.ts', ['no-in-process-scheduler'])).toHaveLength(1);
    expect(typed(files, 'src/server.ts', ['no-in-process-scheduler'])).toHaveLength(1);
  });
});
