import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Cache } from 'cache-manager';
import { Pool } from 'pg';
import { PRIMARY, REPLICA } from '../database/tokens';

export interface Score {
  id: number;
  title: string;
  composer: string;
  fileName: string;
  originalName: string;
  mimeType: string;
  uploadedBy: number;
}

const COLUMNS = 'id, title, composer, file_name AS "fileName", original_name AS "originalName", mime_type AS "mimeType", uploaded_by AS "uploadedBy"';

@Injectable()
export class ScoresService {
  constructor(
    @Inject(PRIMARY) private readonly db: Pool,
    @Inject(REPLICA) private readonly replica: Pool,
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
  ) {}

  async list(): Promise<Score[]> {
    const { rows } = await this.replica.query<Score>(`SELECT ${COLUMNS} FROM scores ORDER BY composer, title`);
    return rows;
  }

  async findOne(id: number): Promise<Score> {
    const key = `score:${id}`;
    const cached = await this.cache.get<Score>(key);
    if (cached) return cached;
    const { rows } = await this.db.query<Score>(`SELECT ${COLUMNS} FROM scores WHERE id = $1`, [id]);
    if (!rows[0]) throw new NotFoundException(`no score ${id}`);
    await this.cache.set(key, rows[0], 10 * 60 * 1000);
    return rows[0];
  }

  async add(score: Omit<Score, 'id'>): Promise<Score> {
    const { rows } = await this.db.query<Score>(
      `INSERT INTO scores (title, composer, file_name, original_name, mime_type, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [score.title, score.composer, score.fileName, score.originalName, score.mimeType, score.uploadedBy],
    );
    return rows[0];
  }

  async rename(id: number, changes: { title?: string; composer?: string }): Promise<Score> {
    if (!changes.title && !changes.composer) throw new BadRequestException('a title or a composer');
    const { rows } = await this.db.query<Score>(
      `UPDATE scores SET title = COALESCE($2, title), composer = COALESCE($3, composer) WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, changes.title ?? null, changes.composer ?? null],
    );
    if (!rows[0]) throw new NotFoundException(`no score ${id}`);
    await this.cache.del(`score:${id}`);
    return rows[0];
  }
}
