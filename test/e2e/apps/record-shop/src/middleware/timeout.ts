import type { NextFunction, Request, Response } from 'express';

// A request that has not answered in 10 seconds gets a 503 rather than hanging the till.
export function requestTimeout(ms = 10_000) {
  return (req: Request, res: Response, next: NextFunction) => {
    const timer = setTimeout(() => {
      if (!res.headersSent) res.status(503).json({ error: 'the shop is busy, try again' });
    }, ms);
    res.on('finish', () => clearTimeout(timer));
    res.on('close', () => clearTimeout(timer));
    next();
  };
}
