import { Mutex } from 'async-mutex';
import type { Pool } from 'pg';
import { config } from '../config';
import type { HarvestRow } from '../db';
import { badInput, conflict } from '../errors';
import type { Session } from './AuthService';
import type { HiveService } from './HiveService';

const HARVEST_COLUMNS = "id, hive_id, kg, to_char(harvested_on, 'YYYY-MM-DD') AS harvested_on";

export class HarvestService {
  // One extractor for the whole association: bookings for the day are checked and taken one at a time.
  private readonly extractor = new Mutex();

  constructor(private readonly db: Pool, private readonly hives: HiveService) {}

  async record(viewer: Session, hiveId: number, kg: number): Promise<HarvestRow> {
    if (!(kg > 0 && kg < 100)) throw badInput('kg must be between 0 and 100');
    await this.hives.ownedBy(hiveId, viewer.beekeeperId);
    return this.extractor.runExclusive(async () => {
      const { rows: today } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM harvests WHERE harvested_on = CURRENT_DATE');
      if (today[0].n >= config.extractorSlotsPerDay) throw conflict('The extractor is fully booked today');
      const { rows } = await this.db.query<HarvestRow>(`INSERT INTO harvests (hive_id, kg) VALUES ($1, $2) RETURNING ${HARVEST_COLUMNS}`, [hiveId, kg]);
      return rows[0];
    });
  }

  async forHive(hiveId: number): Promise<HarvestRow[]> {
    const { rows } = await this.db.query<HarvestRow>(`SELECT ${HARVEST_COLUMNS} FROM harvests WHERE hive_id = $1 ORDER BY id`, [hiveId]);
    return rows;
  }
}
