import rateLimit from 'express-rate-limit';

// Back-in-stock alerts: three per hour from one address is plenty.
export const alertLimiter = rateLimit({
  windowMs: 60 * 60 * 1000,
  limit: 3,
  standardHeaders: 'draft-7',
  legacyHeaders: false,
  message: { error: 'too many alerts, try again later' },
});
