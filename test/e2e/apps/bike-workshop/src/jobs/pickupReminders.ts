import cron from 'node-cron';
import { mailService, repairService } from '../container';

// Every evening the shop closes (Tue-Sat, 18:00), remind customers whose bike is waiting.
export function schedulePickupReminders(): cron.ScheduledTask {
  return cron.schedule('0 18 * * 2-6', async () => {
    try {
      const waiting = await repairService.waitingForPickup();
      for (const repair of waiting) {
        await mailService.readyForPickup(repair);
      }
      console.log(`pickup reminders: ${waiting.length} sent`);
    } catch (err) {
      console.error('pickup reminders failed', err);
    }
  });
}
