import { mkdirSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { app } from './app.js';
import { config } from './config.js';
import { migrate } from './db.js';
import { startJobs } from './jobs.js';

mkdirSync(config.uploadDir, { recursive: true });
await migrate();
startJobs();

serve({ fetch: app.fetch, port: config.port }, (info) => {
  console.log(`pinboard listening on http://localhost:${info.port}`);
});
