import fs from 'fs';
import { config } from './config';
import { migrate } from './db/schema';
import { createApp } from './app';
import { authService } from './container';
import { schedulePickupReminders } from './jobs/pickupReminders';

async function main(): Promise<void> {
  fs.mkdirSync(config.uploadDir, { recursive: true });
  await migrate();

  const app = createApp();
  app.listen(config.port, () => {
    console.log(`${config.workshop.name} listening on ${config.port}`);
  });

  schedulePickupReminders();
  setInterval(() => {
    const removed = authService.sweepExpired();
    if (removed) console.log(`swept ${removed} expired sessions`);
  }, 10 * 60 * 1000);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
