import type { NextFunction, Request, Response } from 'express';
import { attachmentService } from '../services/attachmentService';

export async function uploadAttachment(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const row = await attachmentService.attach(Number(req.params.id), req);
    res.status(201).json({ id: row.id, filename: row.filename, size: row.size, url: `/api/attachments/${row.id}` });
  } catch (err) {
    next(err);
  }
}

export async function downloadAttachment(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const { row, stream } = await attachmentService.open(Number(req.params.id));
    stream.on('error', next);
    res.type(row.mime_type);
    res.setHeader('Content-Disposition', `inline; filename="${row.filename}"`);
    stream.pipe(res);
  } catch (err) {
    next(err);
  }
}
