// Run by hand at the end of the month: npm run monthly-report. Writes reports/<month>.csv.
import { mkdirSync, writeFileSync } from 'node:fs';
import { db } from '../db.js';

const month = process.argv[2] ?? new Date().toISOString().slice(0, 7);
const { rows } = await db.query<{ category: string; status: string }>("SELECT category, status FROM items WHERE to_char(created_at, 'YYYY-MM') = $1", [month]);
const fixedPerCategory = new Map<string, number>();
for (const row of rows) {
  if (row.status === 'fixed') fixedPerCategory.set(row.category, (fixedPerCategory.get(row.category) ?? 0) + 1);
}
mkdirSync('reports', { recursive: true });
writeFileSync(`reports/${month}.csv`, ['category,fixed', ...[...fixedPerCategory].map(([category, count]) => `${category},${count}`)].join('\n') + '\n');
console.log(`reports/${month}.csv: ${rows.length} items`);
await db.end();
