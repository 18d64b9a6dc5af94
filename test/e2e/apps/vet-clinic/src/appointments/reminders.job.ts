import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MailService } from '../mail/mail.service';

interface Reminder {
  email: string;
  pet: string;
  vet: string;
  time: string;
}

@Injectable()
export class RemindersJob {
  private readonly logger = new Logger(RemindersJob.name);

  constructor(
    @InjectDataSource('replica') private readonly replica: DataSource,
    private readonly mail: MailService,
  ) {}

  // Tomorrow's patients get a reminder at 7 in the morning.
  @Cron('0 7 * * *')
  async sendReminders() {
    const rows: Reminder[] = await this.replica.query(
      `SELECT u.email, p.name AS pet, v.name AS vet, a.time
         FROM appointments a
         JOIN pets p ON p.id = a.pet_id
         JOIN users u ON u.id = p.owner_id
         JOIN vets v ON v.id = a.vet_id
        WHERE a.day = current_date + 1
        ORDER BY a.time`,
    );
    for (const row of rows) {
      await this.mail.send(row.email, `Reminder: ${row.pet} tomorrow at ${row.time}`, `${row.pet} sees ${row.vet} tomorrow at ${row.time}.`);
    }
    this.logger.log(`sent ${rows.length} reminders`);
  }
}
