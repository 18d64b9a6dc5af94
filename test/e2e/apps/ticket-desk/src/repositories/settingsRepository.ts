import { db } from '../db/pool';

export const settingsRepository = {
  async all(): Promise<Record<string, string>> {
    const { rows } = await db.query<{ key: string; value: string }>('SELECT key, value FROM settings ORDER BY key');
    return Object.fromEntries(rows.map((row) => [row.key, row.value]));
  },

  async put(key: string, value: string): Promise<void> {
    await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, value]);
  },
};
