import express, { NextFunction, Request, Response } from 'express';
import authRoutes from './routes/auth';
import invoiceRoutes from './routes/invoices';
import { account } from './controllers/invoiceController';
import { requireAuth } from './middleware/auth';
import { countUsage } from './middleware/usage';
import { apiLimiter } from './middleware/rateLimit';
import { config } from './config';

const app = express();

app.use(express.json());
app.get('/health', (_req, res) => res.json({ status: 'ok', company: config.company }));
app.use(apiLimiter);
app.use('/auth', authRoutes);
app.use('/invoices', invoiceRoutes);
app.get('/account', requireAuth, countUsage, account);

app.use((err: any, _req: Request, res: Response, _next: NextFunction) => {
  console.error(err);
  res.status(err.status || 500).json({ message: err.message || 'Internal Server Error' });
});

export default app;
