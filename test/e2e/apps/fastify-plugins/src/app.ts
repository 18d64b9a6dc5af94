import fs from 'node:fs';
import Fastify from 'fastify';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import db from './plugins/db';
import sessions from './plugins/sessions';
import stats from './plugins/stats';
import mailer from './plugins/mailer';
import auth from './routes/auth';
import tickets from './routes/tickets';
import attachments, { uploadDir } from './routes/attachments';

export async function buildApp() {
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL || 'warn' }, trustProxy: true });

  fs.mkdirSync(uploadDir, { recursive: true });

  await app.register(rateLimit, { max: 200, timeWindow: '1 minute' });
  await app.register(db);
  await app.register(sessions);
  await app.register(stats);
  await app.register(mailer);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1 } });
  await app.register(fastifyStatic, { root: uploadDir, prefix: '/files/' });

  app.get('/health', async () => ({ status: 'ok' }));
  await app.register(auth, { prefix: '/auth' });
  await app.register(tickets);
  await app.register(attachments);

  return app;
}
