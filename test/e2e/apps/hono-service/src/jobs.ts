import cron from 'node-cron';
import { sweepSessions } from './lib/sessions.js';

export function startJobs() {
  // Expired sessions would otherwise pile up until the next deploy.
  cron.schedule('*/10 * * * *', () => {
    const removed = sweepSessions();
    if (removed > 0) console.log(`swept ${removed} expired sessions`);
  });
}
