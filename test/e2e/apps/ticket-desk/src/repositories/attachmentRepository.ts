import { db } from '../db/pool';

export interface AttachmentRow {
  id: number;
  ticket_id: number;
  filename: string;
  stored_as: string;
  mime_type: string;
  size: number;
}

export const attachmentRepository = {
  async insert(row: Omit<AttachmentRow, 'id'>): Promise<AttachmentRow> {
    const { rows } = await db.query<AttachmentRow>(
      'INSERT INTO attachments (ticket_id, filename, stored_as, mime_type, size) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [row.ticket_id, row.filename, row.stored_as, row.mime_type, row.size],
    );
    return rows[0];
  },

  async findById(id: number): Promise<AttachmentRow | undefined> {
    const { rows } = await db.query<AttachmentRow>('SELECT * FROM attachments WHERE id = $1', [id]);
    return rows[0];
  },
};
