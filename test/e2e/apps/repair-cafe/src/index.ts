import { mkdir } from 'node:fs/promises';
import { config } from './config.js';
import { db } from './db.js';
import { app } from './app.js';
import { startMidnightJob } from './jobs/midnight.js';

await mkdir(config.uploadDir, { recursive: true });
const { rows } = await db.query<{ count: string }>('SELECT count(*) FROM volunteers');
console.log(`${config.cafe.name}: ${rows[0].count} volunteers signed up`);

startMidnightJob();
app.listen(config.port, () => console.log(`repair café listening on ${config.port}`));
