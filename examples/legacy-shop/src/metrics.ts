import type { RequestHandler } from 'express';
import { Counter, Registry } from 'prom-client';

export const registry = new Registry();

// quiet: per-instance metric by design; Prometheus scrapes every instance and sums
const httpRequests = new Counter({
  name: 'shop_http_requests_total',
  help: 'HTTP requests served by this instance',
  labelNames: ['method', 'status'],
  registers: [registry],
});

export const countRequests: RequestHandler = (req, res, next) => {
  res.on('finish', () => httpRequests.inc({ method: req.method, status: String(res.statusCode) }));
  next();
};
