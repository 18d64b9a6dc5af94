import { db, replica } from '../lib/db';
import { FORMATS, type Format } from '../constants';
import { HttpError } from '../types';

export interface RecordRow {
  id: number;
  artist: string;
  title: string;
  format: Format;
  pricePence: number;
  stock: number;
  cover: string | null;
}

const COLUMNS = 'id, artist, title, format, price_pence AS "pricePence", stock, cover';

// Record pages are read far more than prices change.
const recordCache = new Map<number, RecordRow>();

export async function listRecords(): Promise<RecordRow[]> {
  const { rows } = await replica.query(`SELECT ${COLUMNS} FROM records ORDER BY artist, title`);
  return rows;
}

export async function getRecord(id: number): Promise<RecordRow> {
  const cached = recordCache.get(id);
  if (cached) return cached;
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM records WHERE id = $1`, [id]);
  if (!rows[0]) throw new HttpError(404, 'no such record');
  recordCache.set(id, rows[0]);
  return rows[0];
}

export async function addRecord(input: { artist: string; title: string; format: Format; pricePence: number; stock: number }): Promise<RecordRow> {
  const { rows } = await db.query(
    `INSERT INTO records (artist, title, format, price_pence, stock) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [input.artist, input.title, input.format, input.pricePence, input.stock],
  );
  return rows[0];
}

export async function reprice(id: number, pricePence: number): Promise<RecordRow> {
  const { rows } = await db.query(`UPDATE records SET price_pence = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, pricePence]);
  if (!rows[0]) throw new HttpError(404, 'no such record');
  recordCache.set(id, rows[0]);
  return rows[0];
}

export async function setCover(id: number, fileName: string): Promise<RecordRow> {
  const { rows } = await db.query(`UPDATE records SET cover = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, fileName]);
  if (!rows[0]) throw new HttpError(404, 'no such record');
  recordCache.delete(id);
  return rows[0];
}

export function forgetRecord(id: number): void {
  recordCache.delete(id);
}

export function postageFor(format: Format): number {
  return FORMATS[format].postage;
}

export async function addStockAlert(recordId: number, email: string): Promise<number> {
  await getRecord(recordId);
  const { rows } = await db.query('INSERT INTO stock_alerts (record_id, email) VALUES ($1, $2) RETURNING id', [recordId, email]);
  return rows[0].id;
}
