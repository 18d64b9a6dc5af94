import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { config } from './config.js';
import { router as auth } from './routes/auth.js';
import { router as plotRoutes } from './routes/plots.js';

export const app = express();

app.set('trust proxy', 1);
app.use(express.json());
app.use(
  session({
    name: 'garden.sid',
    secret: config.sessionSecret,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', maxAge: 7 * 24 * 60 * 60 * 1000 },
  }),
);

app.get('/', (req, res) => {
  res.json({ garden: config.garden.name, seasonStarts: config.garden.seasonStarts });
});

app.use('/uploads', express.static(config.uploadDir));
app.use('/api', auth);
app.use('/api/plots', plotRoutes);

app.use((req, res) => {
  res.status(404).json({ error: 'not found' });
});

app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
  console.error(err);
  res.status(500).json({ error: 'something went wrong' });
});
