import http from 'http';
import { createApp } from './app';
import { config } from './config';
import { createSchema } from './lib/db';
import { redis } from './lib/redis';
import { scheduleDailyJobs } from './jobs/daily';
import { startWelcomeWorker } from './queues/welcome';
import { attachRealtime } from './realtime/io';

async function main() {
  await createSchema();
  const server = http.createServer(createApp());
  attachRealtime(server);
  startWelcomeWorker();
  scheduleDailyJobs();

  // Some hosted Redis plans drop idle connections: keep ours warm.
  setInterval(() => {
    redis.ping().catch((err) => console.error('redis ping failed', err.message));
  }, 30_000).unref();

  server.listen(config.port, () => console.log(`${config.shop.name} listening on ${config.port}`));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
