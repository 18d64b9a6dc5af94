import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Cron, SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { Pool } from 'pg';
import { ChoirConfig } from '../config/choir.config';
import { PRIMARY, REPLICA } from '../database/tokens';
import { MailService } from '../mail/mail.service';
import { RehearsalsService } from './rehearsals.service';

interface Reminder {
  rehearsalId: number;
  day: string;
  starts: string;
  venue: string;
  email: string;
  name: string;
}

@Injectable()
export class RemindersJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(RemindersJob.name);

  constructor(
    @Inject(PRIMARY) private readonly db: Pool,
    @Inject(REPLICA) private readonly replica: Pool,
    private readonly mail: MailService,
    private readonly rehearsals: RehearsalsService,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: ConfigService,
  ) {}

  onApplicationBootstrap() {
    this.scheduleRsvpClosing();
  }

  // When RSVPs close comes from choir.json, so the job is made here rather than with @Cron.
  scheduleRsvpClosing() {
    const when = this.config.get<ChoirConfig>('choir')!.closeRsvpsCron;
    const job = new CronJob(when, async () => {
      const closed = await this.rehearsals.closePastRsvps();
      this.logger.log(`closed RSVPs for ${closed} rehearsal(s)`);
    });
    this.scheduler.addCronJob('close-rsvps', job);
    job.start();
  }

  @Cron('0 0 9 * * *')
  async sendReminders() {
    const lead = this.config.get<ChoirConfig>('choir')!.reminderLeadDays;
    const { rows } = await this.replica.query<Reminder>(
      `SELECT h.id AS "rehearsalId", to_char(h.day, 'YYYY-MM-DD') AS day, h.starts, h.venue, s.email, s.name
         FROM rehearsals h JOIN rsvps r ON r.rehearsal_id = h.id JOIN singers s ON s.id = r.singer_id
        WHERE h.day = current_date + $1::int AND NOT h.reminded`,
      [lead],
    );
    for (const row of rows) {
      await this.mail.send(row.email, `Rehearsal on ${row.day}`, `Hello ${row.name}, a reminder: ${row.venue}, ${row.day} at ${row.starts}.`);
    }
    const ids = [...new Set(rows.map((row) => row.rehearsalId))];
    if (ids.length) await this.db.query('UPDATE rehearsals SET reminded = true WHERE id = ANY($1)', [ids]);
  }
}
