import type { NextFunction, Request, Response } from 'express';
import { sessionStore } from '../auth/sessionStore';
import { config } from '../config';
import { recordFailedLogin } from '../middleware/loginLimiter';
import { authService } from '../services/authService';

export async function signup(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const { email, name, password } = req.body ?? {};
    if (!email || !name || !password) {
      res.status(400).json({ error: 'email, name and password are required' });
      return;
    }
    const agent = await authService.signup(email, name, password);
    res.status(201).json(agent);
  } catch (err) {
    next(err);
  }
}

export async function login(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const agent = await authService.verify(req.body?.email ?? '', req.body?.password ?? '');
    if (!agent) {
      recordFailedLogin(req.ip);
      res.status(401).json({ error: 'wrong email or password' });
      return;
    }
    const sid = sessionStore.create({ agentId: agent.id, name: agent.name, isAdmin: agent.admin });
    res.cookie(config.sessionCookie, sid, { httpOnly: true, sameSite: 'lax', maxAge: config.sessionTtlMs });
    res.json({ id: agent.id, name: agent.name, admin: agent.admin });
  } catch (err) {
    next(err);
  }
}

export function me(req: Request, res: Response): void {
  const agent = req.agent!;
  res.json({ id: agent.agentId, name: agent.name, admin: agent.isAdmin });
}

export function logout(req: Request, res: Response): void {
  sessionStore.destroy(req.cookies?.[config.sessionCookie]);
  res.clearCookie(config.sessionCookie);
  res.json({ ok: true });
}
