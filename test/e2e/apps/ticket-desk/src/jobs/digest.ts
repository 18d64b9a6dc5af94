import { CronJob } from 'cron';
import { PRIORITIES, type Priority } from '../constants';
import { ticketRepository } from '../repositories/ticketRepository';
import { mailService } from '../services/mailService';
import { settingsService } from '../services/settingsService';

async function sendMorningDigest(): Promise<void> {
  const summary = await ticketRepository.openSummary();
  if (summary.length === 0) return;
  const to = (await settingsService.get('digest_to')) ?? 'team@ticketdesk.test';
  const lines = summary.map(({ priority, n }) => `${PRIORITIES[priority as Priority]?.label ?? priority}: ${n} open`);
  await mailService.sendDigest(to, lines);
}

/** Every weekday at 8:00 the team gets the open tickets by priority. */
export function scheduleDigest(): CronJob {
  return new CronJob('0 0 8 * * 1-5', () => {
    sendMorningDigest().catch((err) => console.error('digest failed', err));
  }, null, true);
}
