import type { NextFunction, Request, Response } from 'express';
import { isFormat } from '../constants';
import * as recordService from '../services/recordService';
import { coverPath } from '../services/coverService';
import { HttpError } from '../types';

const idOf = (req: Request) => {
  const id = Number(req.params.id);
  if (!Number.isInteger(id) || id < 1) throw new HttpError(404, 'no such record');
  return id;
};

export async function list(_req: Request, res: Response, next: NextFunction) {
  try {
    res.json({ records: await recordService.listRecords() });
  } catch (err) {
    next(err);
  }
}

export async function show(req: Request, res: Response, next: NextFunction) {
  try {
    res.json({ record: await recordService.getRecord(idOf(req)) });
  } catch (err) {
    next(err);
  }
}

export async function create(req: Request, res: Response, next: NextFunction) {
  try {
    const { artist, title, format, pricePence, stock } = req.body ?? {};
    if (typeof artist !== 'string' || typeof title !== 'string' || !isFormat(format) || !Number.isInteger(pricePence) || pricePence <= 0) {
      res.status(400).json({ error: 'artist, title, a known format and a price in pence' });
      return;
    }
    const record = await recordService.addRecord({ artist, title, format, pricePence, stock: Number.isInteger(stock) ? stock : 1 });
    res.status(201).json({ record });
  } catch (err) {
    next(err);
  }
}

export async function reprice(req: Request, res: Response, next: NextFunction) {
  try {
    const pricePence = req.body?.pricePence;
    if (!Number.isInteger(pricePence) || pricePence <= 0) {
      res.status(400).json({ error: 'a price in pence' });
      return;
    }
    res.json({ record: await recordService.reprice(idOf(req), pricePence) });
  } catch (err) {
    next(err);
  }
}

export async function uploadCover(req: Request, res: Response, next: NextFunction) {
  try {
    if (!req.file) {
      res.status(400).json({ error: 'attach the sleeve photo as "cover"' });
      return;
    }
    const record = await recordService.setCover(idOf(req), req.file.filename);
    res.status(201).json({ record, url: `/covers/${req.file.filename}` });
  } catch (err) {
    next(err);
  }
}

export function sendCover(req: Request, res: Response, next: NextFunction) {
  try {
    res.sendFile(coverPath(req.params.file), (err) => {
      if (err && !res.headersSent) res.status(404).json({ error: 'no such cover' });
    });
  } catch (err) {
    next(err);
  }
}

export async function alert(req: Request, res: Response, next: NextFunction) {
  try {
    const email = req.body?.email;
    if (typeof email !== 'string' || !email.includes('@')) {
      res.status(400).json({ error: 'an email to tell' });
      return;
    }
    const id = await recordService.addStockAlert(idOf(req), email);
    res.status(201).json({ alert: { id, recordId: idOf(req), email } });
  } catch (err) {
    next(err);
  }
}
