import { CronJob } from 'cron';
import { resetDay } from '../lib/tally.js';

// The board by the door starts from ticket 1 every day.
export function startMidnightJob(): CronJob {
  return CronJob.from({ cronTime: '0 0 * * *', onTick: () => resetDay(), start: true, timeZone: 'Europe/London' });
}
