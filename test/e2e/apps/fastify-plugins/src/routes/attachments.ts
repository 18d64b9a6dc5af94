import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsync } from 'fastify';

export const uploadDir = process.env.UPLOAD_DIR || path.join(__dirname, '..', '..', 'uploads');

const attachments: FastifyPluginAsync = async (fastify) => {
  fastify.post<{ Params: { id: string } }>('/tickets/:id/attachments', async (request, reply) => {
    const data = await request.file();
    if (!data) return reply.code(400).send({ error: 'No file' });
    const storedAs = `${request.params.id}-${Date.now()}-${path.basename(data.filename)}`;
    await pipeline(data.file, fs.createWriteStream(path.join(uploadDir, storedAs)));
    const { rows } = await fastify.pg.query(
      'INSERT INTO attachments (ticket_id, filename, stored_as) VALUES ($1, $2, $3) RETURNING id',
      [request.params.id, data.filename, storedAs],
    );
    return reply.code(201).send({ id: rows[0].id, filename: data.filename, url: `/files/${storedAs}` });
  });

  fastify.get<{ Params: { id: string } }>('/tickets/:id/attachments', { preHandler: fastify.requireAgent }, async (request) => {
    const { rows } = await fastify.pg.query('SELECT id, filename, stored_as FROM attachments WHERE ticket_id = $1 ORDER BY id', [request.params.id]);
    return { attachments: rows.map((row) => ({ id: row.id, filename: row.filename, url: `/files/${row.stored_as}` })) };
  });
};

export default attachments;
