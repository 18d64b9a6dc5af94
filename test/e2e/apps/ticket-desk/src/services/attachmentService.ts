import Busboy from 'busboy';
import { randomBytes } from 'crypto';
import type { Request } from 'express';
import fs from 'fs';
import path from 'path';
import { config } from '../config';
import { ALLOWED_ATTACHMENT_TYPES } from '../constants';
import { HttpError } from '../middleware/errorHandler';
import { attachmentRepository, type AttachmentRow } from '../repositories/attachmentRepository';
import { ticketRepository } from '../repositories/ticketRepository';

interface Saved {
  filename: string;
  storedAs: string;
  mimeType: string;
  size: number;
}

/** Streams the first file of a multipart body into the upload folder. */
function saveUpload(req: Request): Promise<Saved> {
  return new Promise((resolve, reject) => {
    let busboy: Busboy.Busboy;
    try {
      busboy = Busboy({ headers: req.headers, limits: { files: 1, fileSize: config.maxAttachmentBytes } });
    } catch {
      reject(new HttpError(400, 'expected a multipart body'));
      return;
    }
    let found = false;
    busboy.on('file', (_field, file, info) => {
      found = true;
      if (!ALLOWED_ATTACHMENT_TYPES.includes(info.mimeType)) {
        file.resume();
        reject(new HttpError(415, `attachments of type ${info.mimeType} are not accepted`));
        return;
      }
      const storedAs = `${Date.now()}-${randomBytes(6).toString('hex')}${path.extname(info.filename)}`;
      const out = fs.createWriteStream(path.join(config.uploadDir, storedAs));
      let size = 0;
      file.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      file.on('limit', () => reject(new HttpError(413, 'attachment too large')));
      out.on('error', reject);
      out.on('finish', () => resolve({ filename: info.filename, storedAs, mimeType: info.mimeType, size }));
      file.pipe(out);
    });
    busboy.on('error', reject);
    busboy.on('close', () => {
      if (!found) reject(new HttpError(400, 'no file in the upload'));
    });
    req.pipe(busboy);
  });
}

export const attachmentService = {
  async attach(ticketId: number, req: Request): Promise<AttachmentRow> {
    const ticket = await ticketRepository.findById(ticketId);
    if (!ticket) throw new HttpError(404, 'no such ticket');
    const saved = await saveUpload(req);
    return attachmentRepository.insert({ ticket_id: ticketId, filename: saved.filename, stored_as: saved.storedAs, mime_type: saved.mimeType, size: saved.size });
  },

  async open(id: number): Promise<{ row: AttachmentRow; stream: fs.ReadStream }> {
    const row = await attachmentRepository.findById(id);
    if (!row) throw new HttpError(404, 'no such attachment');
    return { row, stream: fs.createReadStream(path.join(config.uploadDir, row.stored_as)) };
  },
};
