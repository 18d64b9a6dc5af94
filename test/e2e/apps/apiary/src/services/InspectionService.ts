import type { Pool } from 'pg';
import { INSPECTION_LOGGED, MAIL_TIMEOUT_MS } from '../constants';
import type { BeekeeperRow, HiveRow, InspectionRow } from '../db';
import { badInput } from '../errors';
import { sendMail } from '../mailer';
import { pubsub } from '../pubsub';
import type { Session } from './AuthService';
import type { HiveService } from './HiveService';

export interface NewInspection {
  hiveId: string;
  temperament: string;
  queenSeen: boolean;
  broodFrames: number;
  notes?: string | null;
}

export class InspectionService {
  constructor(private readonly db: Pool, private readonly replica: Pool, private readonly hives: HiveService) {}

  async log(viewer: Session, input: NewInspection): Promise<{ inspection: InspectionRow; history: InspectionRow[]; alerted: boolean }> {
    if (input.broodFrames < 0 || input.broodFrames > 40) throw badInput('broodFrames must be between 0 and 40');
    const hive = await this.hives.ownedBy(Number(input.hiveId), viewer.beekeeperId);

    const { rows } = await this.db.query<InspectionRow>(
      `INSERT INTO inspections (hive_id, inspector_id, temperament, queen_seen, brood_frames, notes)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [hive.id, viewer.beekeeperId, input.temperament, input.queenSeen, input.broodFrames, input.notes ?? null],
    );
    const inspection = rows[0];

    const history = await this.replica.query<InspectionRow>(
      'SELECT * FROM inspections WHERE hive_id = $1 ORDER BY created_at DESC, id DESC LIMIT 10',
      [hive.id],
    );

    await pubsub.publish(INSPECTION_LOGGED, { inspectionLogged: inspection });

    let alerted = false;
    if (!input.queenSeen && input.broodFrames === 0) {
      await this.alertOwner(hive, inspection);
      alerted = true;
    }
    return { inspection, history: history.rows, alerted };
  }

  private async alertOwner(hive: HiveRow, inspection: InspectionRow): Promise<void> {
    const { rows } = await this.db.query<BeekeeperRow>('SELECT * FROM beekeepers WHERE id = $1', [hive.owner_id]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('mail server did not answer')), MAIL_TIMEOUT_MS);
    });
    try {
      await Promise.race([
        sendMail({
          to: rows[0].email,
          subject: `${hive.name} may be queenless`,
          text: `No queen and no brood were seen in ${hive.name} at ${hive.site} (inspection ${inspection.id}). Consider uniting or adding a frame of eggs.`,
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async forHives(hiveIds: readonly number[]): Promise<InspectionRow[]> {
    const { rows } = await this.replica.query<InspectionRow>(
      'SELECT * FROM inspections WHERE hive_id = ANY($1::int[]) ORDER BY created_at DESC, id DESC',
      [hiveIds],
    );
    return rows;
  }
}
