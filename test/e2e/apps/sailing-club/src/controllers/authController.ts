import type { NextFunction, Request, Response } from 'express';
import { countFailure, isLockedOut, loginFailures } from '../middleware/loginLimiter';
import { memberService } from '../services/memberService';

export class AuthController {
  signup = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const { name, email, password } = req.body ?? {};
      if (!name || !email || typeof password !== 'string' || password.length < 8) {
        res.status(400).json({ error: 'name, email and a password of 8 characters or more' });
        return;
      }
      const member = await memberService.signup(name, email, password);
      res.status(201).json({ member });
    } catch (err) {
      next(err);
    }
  };

  login = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const ip = req.ip ?? 'unknown';
      if (await isLockedOut(ip)) {
        res.status(429).json({ error: 'too many wrong passwords; try again in a quarter of an hour' });
        return;
      }
      const { email, password } = req.body ?? {};
      const member = await memberService.authenticate(String(email), String(password));
      if (!member) {
        await countFailure(ip);
        res.status(401).json({ error: 'wrong email or password' });
        return;
      }
      await loginFailures.delete(ip);
      req.session.regenerate((err) => {
        if (err) return next(err);
        req.session.memberId = member.id;
        req.session.name = member.name;
        res.json({ member });
      });
    } catch (err) {
      next(err);
    }
  };

  me = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const member = await memberService.byId(req.session.memberId!);
      if (!member) {
        res.status(401).json({ error: 'log in first' });
        return;
      }
      res.json({ member });
    } catch (err) {
      next(err);
    }
  };

  logout = (req: Request, res: Response, next: NextFunction) => {
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie('harbour.sid');
      res.json({ ok: true });
    });
  };
}

export const authController = new AuthController();
