import type { NextFunction, Request, Response } from 'express';

declare module 'express-session' {
  interface SessionData {
    memberId: number;
    name: string;
  }
}

export function requireMember(req: Request, res: Response, next: NextFunction): void {
  if (!req.session.memberId) {
    res.status(401).json({ error: 'log in first' });
    return;
  }
  next();
}
