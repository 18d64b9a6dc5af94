import cron from 'node-cron';
import { gte, sql } from 'drizzle-orm';
import { config } from '../config.js';
import { db } from '../db/client.js';
import { orders } from '../db/schema.js';
import { sendOpsReport } from '../services/mailer.js';

// 06:00 every day (config.dailyReportCron): the last 24 hours' order count and revenue to the ops mailbox.
export function scheduleDailyReport(): void {
  // hazard: no-in-process-scheduler
  cron.schedule(config.dailyReportCron, async () => {
    const since = new Date(Date.now() - 24 * 60 * 60_000);
    const [totals] = await db
      .select({ count: sql<number>`count(*)::int`, revenue: sql<number>`coalesce(sum(${orders.totalCents}), 0)::int` })
      .from(orders)
      .where(gte(orders.createdAt, since));
    await sendOpsReport('Daily orders', `${totals.count} orders, ${(totals.revenue / 100).toFixed(2)} EUR`);
  });
}
