import { NextFunction, Request, Response } from 'express';

// requests per user, shown on the account page
export const usage: Record<number, number> = {};

export function countUsage(req: Request, _res: Response, next: NextFunction) {
  if (req.user) {
    usage[req.user.id] = (usage[req.user.id] || 0) + 1;
  }
  next();
}
