import type { NextFunction, Request, Response } from 'express';
import { liveFeed } from '../lib/liveFeed';
import { memberService } from '../services/memberService';
import { reservationService } from '../services/reservationService';
import { statsService } from '../services/statsService';

export class ReservationController {
  create = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const member = await memberService.byId(req.session.memberId!);
      if (!member) {
        res.status(401).json({ error: 'log in first' });
        return;
      }
      const result = await reservationService.reserve(member, Number(req.params.id), req.body?.day);
      res.status(201).json(result);
    } catch (err) {
      next(err);
    }
  };

  mine = async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.json({ reservations: await reservationService.mine(req.session.memberId!) });
    } catch (err) {
      next(err);
    }
  };

  stats = (_req: Request, res: Response) => {
    res.json(statsService.today());
  };

  live = (req: Request, res: Response) => {
    liveFeed.subscribe(req, res);
  };
}

export const reservationController = new ReservationController();
