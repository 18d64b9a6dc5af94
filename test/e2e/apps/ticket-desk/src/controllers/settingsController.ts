import type { NextFunction, Request, Response } from 'express';
import { settingsService } from '../services/settingsService';

export async function getSettings(_req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    res.json({ settings: await settingsService.all() });
  } catch (err) {
    next(err);
  }
}

export async function putSetting(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const value = req.body?.value;
    if (typeof value !== 'string' || value === '') {
      res.status(400).json({ error: 'value must be a non-empty string' });
      return;
    }
    res.json({ settings: await settingsService.update(req.params.key, value) });
  } catch (err) {
    next(err);
  }
}
