import { NextFunction, Request, Response } from 'express';
import * as authService from '../services/authService';
import { TAX_RATES } from '../config';

export function register(req: Request, res: Response, next: NextFunction) {
  const { email, password, country = 'DE' } = req.body || {};
  if (!email || !password) {
    res.status(400).json({ message: 'email and password are required' });
    return;
  }
  if (!(country in TAX_RATES)) {
    res.status(400).json({ message: `unsupported country ${country}` });
    return;
  }
  authService
    .register(email, password, country)
    .then((user) => res.status(201).json(user))
    .catch((err) => {
      if (err.code === '23505') res.status(409).json({ message: 'email taken' });
      else next(err);
    });
}

export function login(req: Request, res: Response, next: NextFunction) {
  const { email, password } = req.body || {};
  authService
    .login(email, password)
    .then((token) => {
      if (!token) {
        res.status(401).json({ message: 'Invalid credentials' });
        return;
      }
      res.json({ token });
    })
    .catch(next);
}

export function logout(req: Request, res: Response) {
  if (req.token) authService.logout(req.token);
  res.status(204).end();
}
