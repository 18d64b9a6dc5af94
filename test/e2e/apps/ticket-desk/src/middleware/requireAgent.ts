import type { NextFunction, Request, Response } from 'express';
import { sessionStore, type SessionData } from '../auth/sessionStore';
import { config } from '../config';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      agent?: SessionData;
    }
  }
}

export function requireAgent(req: Request, res: Response, next: NextFunction): void {
  const session = sessionStore.get(req.cookies?.[config.sessionCookie]);
  if (!session) {
    res.status(401).json({ error: 'log in first' });
    return;
  }
  req.agent = session;
  next();
}

export function requireAdmin(req: Request, res: Response, next: NextFunction): void {
  if (!req.agent?.isAdmin) {
    res.status(403).json({ error: 'admins only' });
    return;
  }
  next();
}
