import cron from 'node-cron';
import { resetDay } from '../services/orderService';

export function scheduleDailyJobs(): void {
  // Midnight: a new day at the counter.
  cron.schedule('0 0 * * *', () => {
    const yesterday = resetDay();
    console.log(`closed the day with ${yesterday} orders`);
  });
}
