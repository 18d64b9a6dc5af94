import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';

// The front desk's "today" panel.
@Injectable()
export class StatsService {
  private appointmentsBooked = 0;
  private feesBookedCents = 0;
  private since = new Date();

  recordBooking(feeCents: number) {
    this.appointmentsBooked += 1;
    this.feesBookedCents += feeCents;
  }

  today() {
    return { appointmentsBooked: this.appointmentsBooked, feesBookedCents: this.feesBookedCents, since: this.since };
  }

  @Cron(CronExpression.EVERY_DAY_AT_MIDNIGHT)
  startNewDay() {
    this.appointmentsBooked = 0;
    this.feesBookedCents = 0;
    this.since = new Date();
  }
}
