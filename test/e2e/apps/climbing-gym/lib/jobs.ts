import cron from 'node-cron';
import { gymStats } from './stats';
import { sweepExpiredSessions } from './session';
import { clearRouteCache } from './route-cache';

let started = false;

export function startJobs() {
  if (started) return;
  started = true;

  // Midnight: a new day at the front desk.
  cron.schedule('0 0 * * *', () => {
    gymStats.checkinsToday = 0;
    gymStats.day = new Date().toISOString().slice(0, 10);
    clearRouteCache();
  });

  // Drop expired sessions every ten minutes.
  setInterval(sweepExpiredSessions, 10 * 60 * 1000).unref();
}
