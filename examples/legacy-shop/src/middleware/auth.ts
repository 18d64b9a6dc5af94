import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { config } from '../config.js';
import { getSession } from '../services/sessions.js';

export interface AuthUser {
  id: number;
  email: string;
}

declare module 'express-session' {
  interface SessionData {
    user: AuthUser;
  }
}

declare global {
  namespace Express {
    interface Locals {
      user: AuthUser;
    }
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

// Web clients carry an express-session cookie, the mobile app a bearer token.
export const requireUser: RequestHandler = (req, res, next) => {
  const token = bearerToken(req.get('authorization'));
  const apiSession = token ? getSession(token) : undefined;
  const user = apiSession ? { id: apiSession.userId, email: apiSession.email } : req.session.user;
  if (!user) {
    res.status(401).json({ error: 'login required' });
    return;
  }
  res.locals.user = user;
  next();
};

// Back-office tokens are signed JWTs (see scripts/admin-token.ts).
export const requireAdmin: RequestHandler = (req, res, next) => {
  try {
    // quiet: signed JWT verified with the shared secret; no server-side session state
    const claims = jwt.verify(bearerToken(req.get('authorization')) ?? '', config.jwtSecret);
    if (typeof claims === 'string' || claims.role !== 'admin') throw new Error('not an admin');
    next();
  } catch {
    res.status(403).json({ error: 'admin token required' });
  }
};
