import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { app } from './app.js';
import { config } from './config.js';
import { migrate } from './db/client.js';
import { startJobs } from './jobs/digest.js';
import { attachLive } from './lib/live.js';

mkdirSync(config.uploadDir, { recursive: true });

await migrate();

const server = createServer(app);
attachLive(server);
startJobs();

server.listen(config.port, () => {
  console.log(`${config.garden.name} listening on ${config.port}`);
});
