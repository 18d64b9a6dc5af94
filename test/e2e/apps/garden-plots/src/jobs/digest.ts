import cron from 'node-cron';
import { desc } from 'drizzle-orm';
import { config } from '../config.js';
import { readDb } from '../db/client.js';
import { members, plots } from '../db/schema.js';
import { sendMail } from '../lib/mailer.js';
import { resetWatering } from '../lib/watering.js';

export function startJobs(): void {
  // Monday 7am: everyone gets the list of plots let out so far.
  cron.schedule('0 7 * * 1', async () => {
    const everyone = await readDb.select({ email: members.email }).from(members);
    const latest = await readDb.select({ label: plots.label }).from(plots).orderBy(desc(plots.createdAt)).limit(20);
    const text = latest.map((p) => `- ${p.label}`).join('\n');
    for (const member of everyone) {
      await sendMail(member.email, `${config.garden.name}: this week`, text);
    }
  });

  // Midnight: a new day's watering log.
  cron.schedule('0 0 * * *', () => resetWatering());
}
