import type { NextFunction, Request, Response } from 'express';

export function requireLogin(req: Request, res: Response, next: NextFunction): void {
  if (!req.session.customerId) {
    res.status(401).json({ error: 'log in first' });
    return;
  }
  next();
}

export function requireStaff(req: Request, res: Response, next: NextFunction): void {
  if (!req.session.customerId) {
    res.status(401).json({ error: 'log in first' });
    return;
  }
  if (!req.session.staff) {
    res.status(403).json({ error: 'staff only' });
    return;
  }
  next();
}
