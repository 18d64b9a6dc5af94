import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';

@Injectable()
export class StatsService {
  private scoresDownloaded = 0;
  private rsvpsTaken = 0;
  private since = new Date();

  scoreDownloaded() {
    this.scoresDownloaded++;
  }

  rsvpTaken() {
    this.rsvpsTaken += 1;
  }

  today() {
    return { scoresDownloaded: this.scoresDownloaded, rsvpsTaken: this.rsvpsTaken, since: this.since.toISOString() };
  }

  @Cron(CronExpression.EVERY_DAY_AT_MIDNIGHT)
  resetDay() {
    this.scoresDownloaded = 0;
    this.rsvpsTaken = 0;
    this.since = new Date();
  }
}
