import cron from 'node-cron';
import { sendReminder } from '../lib/mailer';
import { reservationService } from '../services/reservationService';
import { statsService } from '../services/statsService';

function tomorrow(): string {
  const date = new Date(Date.now() + 24 * 60 * 60 * 1000);
  return date.toISOString().slice(0, 10);
}

// At midnight: a new day on the slipway, and a reminder to everyone sailing tomorrow.
export function scheduleNightly() {
  return cron.schedule('0 0 * * *', async () => {
    statsService.resetDay();
    const day = tomorrow();
    const rows = await reservationService.forDay(day);
    for (const row of rows) {
      await sendReminder(row.member.email, row.boat.name, day);
    }
  });
}
