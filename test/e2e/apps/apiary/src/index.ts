import fs from 'fs';
import { createServer } from './app';
import { config } from './config';
import { migrate } from './db';
import { scheduleWeeklyDigest } from './jobs/digest';
import { services } from './services';

async function main() {
  fs.mkdirSync(config.uploadDir, { recursive: true });
  await migrate();
  const httpServer = await createServer();

  scheduleWeeklyDigest();
  setInterval(() => services.auth.sweepExpired(), 15 * 60 * 1000);

  httpServer.listen(config.port, () => {
    console.log(`${config.association} API on http://localhost:${config.port}/graphql`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
