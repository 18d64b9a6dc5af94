import cron from 'node-cron';
import { config } from '../config';
import { replica } from '../db';
import { sendMail } from '../mailer';

// Monday morning: every member hears which of their hives went unchecked for two weeks.
export function scheduleWeeklyDigest() {
  return cron.schedule(config.digestSchedule, async () => {
    const { rows } = await replica.query<{ email: string; names: string }>(`
      SELECT b.email, string_agg(h.name, ', ' ORDER BY h.name) AS names
        FROM hives h JOIN beekeepers b ON b.id = h.owner_id
       WHERE NOT EXISTS (SELECT 1 FROM inspections i WHERE i.hive_id = h.id AND i.created_at > now() - interval '14 days')
       GROUP BY b.email`);
    for (const row of rows) {
      await sendMail({ to: row.email, subject: `${config.association}: hives due an inspection`, text: `Not inspected for two weeks: ${row.names}.` });
    }
  });
}
