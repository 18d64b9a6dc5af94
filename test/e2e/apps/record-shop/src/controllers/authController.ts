import type { NextFunction, Request, Response } from 'express';
import * as authService from '../services/authService';

export async function signup(req: Request, res: Response, next: NextFunction) {
  try {
    const { email, name, password } = req.body ?? {};
    if (typeof email !== 'string' || !email.includes('@') || typeof name !== 'string' || typeof password !== 'string' || password.length < 8) {
      res.status(400).json({ error: 'email, name and a password of 8 characters or more' });
      return;
    }
    const customer = await authService.signup(email, name, password);
    res.status(201).json({ customer });
  } catch (err) {
    next(err);
  }
}

export async function login(req: Request, res: Response, next: NextFunction) {
  try {
    const ip = req.ip ?? 'unknown';
    if (authService.tooManyAttempts(ip)) {
      res.status(429).json({ error: 'too many wrong passwords, wait a while' });
      return;
    }
    const customer = await authService.login(req.body?.email, req.body?.password, ip);
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.customerId = customer.id;
      req.session.staff = customer.staff;
      res.json({ customer });
    });
  } catch (err) {
    next(err);
  }
}

export async function me(req: Request, res: Response, next: NextFunction) {
  try {
    const customer = await authService.findCustomer(req.session.customerId!);
    if (!customer) {
      res.status(401).json({ error: 'log in first' });
      return;
    }
    res.json({ customer });
  } catch (err) {
    next(err);
  }
}

export function logout(req: Request, res: Response, next: NextFunction) {
  req.session.destroy((err) => {
    if (err) return next(err);
    res.clearCookie('spin.sid');
    res.json({ ok: true });
  });
}
