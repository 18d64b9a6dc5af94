import schedule from 'node-schedule';
import { Op } from 'sequelize';
import { Show, User } from './db.js';
import { enqueueMail } from './lib/mailQueue.js';
import { showCache } from './lib/showCache.js';
import { resetTakings } from './routes/orders.js';

async function closeNight() {
  // Shows that have played come off sale, and the manager gets the day's takings.
  await Show.update({ status: 'closed' }, { where: { startsAt: { [Op.lt]: new Date() }, status: 'on-sale' } });
  showCache.clear();
  const totals = resetTakings();
  const managers = await User.findAll({ where: { role: 'manager' } });
  for (const manager of managers) {
    enqueueMail({ to: manager.email, subject: 'Box office takings', text: `${totals.ticketsSold} tickets, ${(totals.revenueCents / 100).toFixed(2)}` });
  }
}

export function startJobs() {
  schedule.scheduleJob('30 2 * * *', () => {
    closeNight().catch((err) => console.error('nightly close failed', err));
  });
  // Edits made straight in the database by the office show up within ten minutes.
  schedule.scheduleJob('*/10 * * * *', () => showCache.clear());
}
