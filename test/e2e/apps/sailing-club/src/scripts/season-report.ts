// Run by hand at the end of the season: npm run season-report. Writes the reservations per boat to a CSV.
import 'reflect-metadata';
import fs from 'fs';
import path from 'path';
import { AppDataSource } from '../data-source';
import { Reservation } from '../entities/Reservation';

async function report() {
  await AppDataSource.initialize();
  const rows = await AppDataSource.getRepository(Reservation).find({ relations: { boat: true } });
  const perBoat = new Map<string, number>();
  for (const row of rows) perBoat.set(row.boat.name, (perBoat.get(row.boat.name) ?? 0) + 1);
  const lines = ['boat,reservations', ...[...perBoat].map(([boat, count]) => `${boat},${count}`)];
  const out = path.join(process.cwd(), 'reports');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, `season-${new Date().getFullYear()}.csv`), lines.join('\n') + '\n');
  await AppDataSource.destroy();
}

report().catch((err) => {
  console.error(err);
  process.exit(1);
});
