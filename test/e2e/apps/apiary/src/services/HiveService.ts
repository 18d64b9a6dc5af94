import type { Pool } from 'pg';
import type { HiveRow } from '../db';
import { forbidden, notFound } from '../errors';

export interface NewHive {
  name: string;
  site: string;
  frameType: string;
}

export class HiveService {
  // Hive rows change rarely (a rename, a new photo): keep them instead of asking the database on every field.
  private readonly cache = new Map<number, HiveRow>();

  constructor(private readonly db: Pool, private readonly replica: Pool) {}

  async byId(id: number): Promise<HiveRow | null> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const { rows } = await this.db.query<HiveRow>('SELECT * FROM hives WHERE id = $1', [id]);
    if (rows[0]) this.cache.set(id, rows[0]);
    return rows[0] ?? null;
  }

  async ownedBy(id: number, beekeeperId: number): Promise<HiveRow> {
    const hive = await this.byId(id);
    if (!hive) throw notFound(`No hive ${id}`);
    if (hive.owner_id !== beekeeperId) throw forbidden('That hive is not yours');
    return hive;
  }

  async listFor(beekeeperId: number): Promise<HiveRow[]> {
    const { rows } = await this.replica.query<HiveRow>('SELECT * FROM hives WHERE owner_id = $1 ORDER BY id', [beekeeperId]);
    return rows;
  }

  async countFor(beekeeperId: number): Promise<number> {
    const { rows } = await this.replica.query<{ n: number }>('SELECT count(*)::int AS n FROM hives WHERE owner_id = $1', [beekeeperId]);
    return rows[0].n;
  }

  async create(ownerId: number, input: NewHive): Promise<HiveRow> {
    const { rows } = await this.db.query<HiveRow>(
      'INSERT INTO hives (owner_id, name, site, frame_type) VALUES ($1, $2, $3, $4) RETURNING *',
      [ownerId, input.name, input.site, input.frameType],
    );
    this.cache.set(rows[0].id, rows[0]);
    return rows[0];
  }

  async rename(id: number, beekeeperId: number, name: string): Promise<HiveRow> {
    await this.ownedBy(id, beekeeperId);
    const { rows } = await this.db.query<HiveRow>('UPDATE hives SET name = $2 WHERE id = $1 RETURNING *', [id, name]);
    this.cache.set(id, rows[0]);
    return rows[0];
  }

  async setPhoto(id: number, photo: string): Promise<HiveRow> {
    const { rows } = await this.db.query<HiveRow>('UPDATE hives SET photo = $2 WHERE id = $1 RETURNING *', [id, photo]);
    this.cache.delete(id);
    return rows[0];
  }
}
