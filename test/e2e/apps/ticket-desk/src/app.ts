import cookieParser from 'cookie-parser';
import express from 'express';
import { errorHandler } from './middleware/errorHandler';
import attachmentRoutes from './routes/attachments';
import authRoutes from './routes/auth';
import settingsRoutes from './routes/settings';
import ticketRoutes from './routes/tickets';

const app = express();

app.use(express.json());
app.use(cookieParser());

app.get('/health', (_req, res) => {
  res.json({ ok: true });
});

app.use('/api', authRoutes);
app.use('/api/tickets', ticketRoutes);
app.use('/api/attachments', attachmentRoutes);
app.use('/api/settings', settingsRoutes);

app.use(errorHandler);

export default app;
