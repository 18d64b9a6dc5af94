// The slipway's day: how many boats have been booked out since midnight.
export class StatsService {
  private launchesToday = 0;

  recordLaunch(): number {
    this.launchesToday += 1;
    return this.launchesToday;
  }

  today(): { launchesToday: number } {
    return { launchesToday: this.launchesToday };
  }

  resetDay(): void {
    this.launchesToday = 0;
  }
}

export const statsService = new StatsService();
